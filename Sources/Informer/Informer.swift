// The Informer module. See ARCHITECTURE.md for how it fits in.
