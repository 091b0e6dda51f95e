import Foundation
import PackagePlugin

/// Embeds the package's `migrations/` (for Store) or `web/` (for Server) folder into the target.
@main
struct EmbedAssets: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folders: [String]
        switch target.name {
        case "Store": folders = ["migrations"]
        case "Server": folders = ["web"]
        default: return []
        }
        let root = context.package.directoryURL
        var inputs: [URL] = []
        for folder in folders {
            let dir = root.appending(path: folder)
            if let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) {
                for case let url as URL in e where !url.hasDirectoryPath { inputs.append(url) }
            }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedAssets.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(folders.joined(separator: ", ")) into \(target.name)",
                executable: try context.tool(named: "EmbedAssetsTool").url,
                arguments: [output.path, "EmbeddedAssets"] + folders.map { root.appending(path: $0).path },
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
