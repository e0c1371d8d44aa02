"""Command-line subcommands, one module per area. Each module offers `register(subparsers)`."""
