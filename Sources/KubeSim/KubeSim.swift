// The KubeSim module. See ARCHITECTURE.md for how it fits in.
