import './theme.css';
import './ui.css';

export { Avatar, initialsOf, type PresenceBadge } from './Avatar';
export { Banner, type BannerTone } from './Banner';
export { Button } from './Button';
export { Logo, LogoMark } from './Logo';
export { Spinner } from './Spinner';
export { TextField } from './TextField';
