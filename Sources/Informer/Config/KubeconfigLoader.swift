import Foundation
import Yams

/// Finds, merges and resolves kubeconfig files the way kubectl does (KUBERNETES-API.md §7.2),
/// falling back to in-cluster configuration (§7.6), into a `ClusterConnection`.
public struct KubeconfigLoader: Sendable {
    /// `--kubeconfig`: that file only, and it must exist.
    public var explicitPath: String?
    /// `--context`: overrides `current-context`.
    public var context: String?
    public var environment: [String: String]
    public var homeDirectory: String
    /// Where a pod's service-account files are (overridable for tests).
    public var serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    public init(explicitPath: String? = nil, context: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                homeDirectory: String = NSHomeDirectory()) {
        self.explicitPath = explicitPath
        self.context = context
        self.environment = environment
        self.homeDirectory = homeDirectory
    }

    /// An entry with the folder of the file that defined it (relative paths resolve there).
    struct Located<T> {
        var value: T
        var file: String
        var directory: String { (file as NSString).deletingLastPathComponent }
    }

    struct Merged {
        var currentContext: String?
        var clusters: [String: Located<KubeconfigFile.Cluster>] = [:]
        var users: [String: Located<KubeconfigFile.User>] = [:]
        var contexts: [String: Located<KubeconfigFile.Context>] = [:]
        var files: [String] = []
        var isEmpty: Bool { clusters.isEmpty && users.isEmpty && contexts.isEmpty && (currentContext ?? "").isEmpty }
    }

    /// Loads and resolves the configuration.
    public func load() throws(KubeconfigError) -> ClusterConnection {
        let merged = try mergedFiles()
        if merged.isEmpty && context == nil, let inCluster = try inClusterConnection() {
            return inCluster
        }
        return try resolve(merged)
    }

    /// The files to read, in precedence order.
    func candidateFiles() throws(KubeconfigError) -> [String] {
        if let explicitPath {
            guard FileManager.default.fileExists(atPath: explicitPath) else {
                throw KubeconfigError("the kubeconfig file \(explicitPath) does not exist")
            }
            return [explicitPath]
        }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            var seen = Set<String>()
            // Missing files in KUBECONFIG are skipped silently, as kubectl does.
            return list.split(separator: ":").map(String.init)
                .filter { !$0.isEmpty && seen.insert($0).inserted && FileManager.default.fileExists(atPath: $0) }
        }
        let home = "\(homeDirectory)/.kube/config"
        return FileManager.default.fileExists(atPath: home) ? [home] : []
    }

    /// Reads and merges the files: the first file to define a name wins, whole.
    func mergedFiles() throws(KubeconfigError) -> Merged {
        var merged = Merged()
        for file in try candidateFiles() {
            let parsed = try parse(file)
            merged.files.append(file)
            if (merged.currentContext ?? "").isEmpty, let c = parsed.currentContext, !c.isEmpty { merged.currentContext = c }
            for c in parsed.clusters ?? [] where merged.clusters[c.name] == nil {
                merged.clusters[c.name] = Located(value: c.cluster ?? KubeconfigFile.Cluster(), file: file)
            }
            for u in parsed.users ?? [] where merged.users[u.name] == nil {
                merged.users[u.name] = Located(value: u.user ?? KubeconfigFile.User(), file: file)
            }
            for c in parsed.contexts ?? [] where merged.contexts[c.name] == nil {
                merged.contexts[c.name] = Located(value: c.context ?? KubeconfigFile.Context(), file: file)
            }
        }
        return merged
    }

    func parse(_ file: String) throws(KubeconfigError) -> KubeconfigFile {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw KubeconfigError("cannot read the kubeconfig file \(file)")
        }
        let text = String(decoding: data, as: UTF8.self)
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return KubeconfigFile() }
        do {
            return try YAMLDecoder().decode(KubeconfigFile.self, from: text)
        } catch let error as DecodingError {
            // Only the path of the offending field: its value might be a credential.
            throw KubeconfigError("the kubeconfig file \(file) has an invalid field \(Self.path(of: error))")
        } catch {
            throw KubeconfigError("the kubeconfig file \(file) is not valid YAML")
        }
    }

    static func path(of error: DecodingError) -> String {
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): context = c
        case .keyNotFound(let k, let c): return (c.codingPath + [k]).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        @unknown default: return "?"
        }
        return context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

