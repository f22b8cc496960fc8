import './theme.css';
import './ui.css';
import './controls.css';

export { Avatar, initialsOf, type PresenceBadge } from './Avatar';
export { Banner, type BannerTone } from './Banner';
export { Button } from './Button';
export { CountBadge } from './CountBadge';
export { Dialog } from './Dialog';
export { Icon, type IconName } from './Icon';
export { IconButton } from './IconButton';
export { Logo, LogoMark } from './Logo';
export { Menu, type MenuItem } from './Menu';
export { PromptDialog } from './PromptDialog';
export { Spinner } from './Spinner';
export { TextField } from './TextField';
