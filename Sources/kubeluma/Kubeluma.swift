import ArgumentParser
import Foundation

@main
struct Kubeluma: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubeluma",
        abstract: "A local, read-only web UI for debugging many Kubernetes pods at once.",
        version: "0.1.0",
        subcommands: [ServeCommand.self, DemoCommand.self, SimCommand.self, StoreBenchCommand.self,
                      InformerBenchCommand.self]
    )

    /// Bad arguments (invalid regex, port out of range, unknown context, unreadable kubeconfig)
    /// exit 2 with a sentence saying what to fix, before anything starts; a failure while
    /// running exits 1 with its reason.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(code == .validationFailure ? 2 : (error is CLIError ? 1 : code.rawValue))
        }
    }
}
