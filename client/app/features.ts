/**
 * The features this build contains, in start order. Each import registers its feature (the shell
 * renders whatever registered); removing a line removes the feature and nothing else breaks.
 */
import '../features/contacts';
import '../features/presence';
import '../features/calls';
import '../features/im';
import '../features/admin';
import '../features/meetings';
