import ArgumentParser

@main
struct Kubeluma: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubeluma",
        abstract: "A local, read-only web UI for debugging many Kubernetes pods at once.",
        version: "0.1.0",
        subcommands: [DemoCommand.self, SimCommand.self]
    )
}
