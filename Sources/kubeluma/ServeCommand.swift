import ArgumentParser
import Foundation
import Informer

/// `kubeluma serve`: the seed's command.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the UI for the cluster of your kubeconfig's current (or given) context.",
        discussion: """
        Prints the URL it serves on the first line of stdout and opens a browser unless --no-open.
        Read-only: kubeluma only reads pods, events, logs and metrics, never Secrets.
        """)

    @OptionGroup var serve: ServeOptions
    @Option(help: "Path to a kubeconfig (default: KUBECONFIG, then ~/.kube/config, then in-cluster).")
    var kubeconfig: String?
    @Option(help: "The kubeconfig context to use (default: its current-context).")
    var context: String?

    /// Resolved in `validate` so a bad kubeconfig or unknown context stops before anything starts.
    private var connection: ClusterConnection?

    enum CodingKeys: CodingKey { case serve, kubeconfig, context }

    mutating func validate() throws {
        do {
            connection = try KubeConfigLoader().load(explicitPath: kubeconfig, context: context)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let connection = try connection ?? KubeConfigLoader().load(explicitPath: kubeconfig, context: context)
        try await Runner(options: serve, connection: connection).run()
    }
}
