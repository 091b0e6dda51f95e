import Foundation

/// A kubeconfig `user.exec` credential plugin (client.authentication.k8s.io/v1 or v1beta1).
public struct ExecConfig: Sendable, Equatable {
    public var apiVersion: String
    /// Resolved: absolute when the kubeconfig gave a path with a `/`, else a bare name for PATH.
    public var command: String
    public var args: [String]
    public var env: [String: String]
    /// `Never`, `IfAvailable` or `Always`.
    public var interactiveMode: String
    public var provideClusterInfo: Bool
    public var installHint: String?

    public init(apiVersion: String, command: String, args: [String] = [], env: [String: String] = [:],
                interactiveMode: String = "IfAvailable", provideClusterInfo: Bool = false, installHint: String? = nil) {
        self.apiVersion = apiVersion
        self.command = command
        self.args = args
        self.env = env
        self.interactiveMode = interactiveMode
        self.provideClusterInfo = provideClusterInfo
        self.installHint = installHint
    }
}
