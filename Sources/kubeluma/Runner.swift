import Foundation
import Informer
import Logging
import Server
import ServiceLifecycle
import Store

/// Runs kubeluma against one cluster connection: opens the cache (warm start), starts the pod
/// and event informers and the server under one service group, prints the URL, opens a browser.
struct Runner {
    let options: ServeOptions
    let connection: ClusterConnection
    var extraServices: [any Service] = []

    func run() async throws {
        let logger = options.logger
        let dbPath = options.db == CacheConfiguration.inMemory ? CacheConfiguration.inMemory
            : DatabaseLocation.databaseFile(server: connection.server.absoluteString, context: connection.contextName,
                                            namespace: options.namespace, override: options.db).path
        var cacheConfig = CacheConfiguration(path: dbPath)
        cacheConfig.retention.history = ServeOptions.duration(options.history) ?? 7 * 86_400
        cacheConfig.onCorruption = options.db == nil ? .moveAside : .fail
        cacheConfig.logger = logger
        let cache: ClusterCache
        do {
            cache = try ClusterCache.open(cacheConfig)
        } catch {
            throw CLIError("cannot open the cache \(dbPath): \(error)")
        }
        let transport = CurlTransport(logger: logger)
        defer { transport.shutdown() }
        let client = KubeClient(connection: connection, transport: transport, logger: logger)
        let informers = ClusterInformers(client: client, store: cache, namespace: options.namespace, logger: logger).all
        let accessToken = ServerConfiguration.isLoopback(options.host) ? nil : Self.randomToken()
        let kubeluma = buildApplication(
            configuration: ServerConfiguration(host: options.host, port: options.port, initialPattern: options.pod,
                                               metricsInterval: .milliseconds(Int(options.metricsInterval * 1000)),
                                               accessToken: accessToken, logger: logger),
            cache: cache, client: client, informers: informers, namespace: options.namespace,
            extraServices: extraServices)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: kubeluma.application)], gracefulShutdownSignals: [.sigint, .sigterm], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                do { try await group.run() } catch {
                    kubeluma.serverStopped()
                    throw CLIError(Self.explain(error, host: options.host, port: options.port))
                }
                kubeluma.serverStopped()
            }
            guard var url = await kubeluma.boundURL() else {
                try await tasks.waitForAll()
                throw CLIError("the server stopped before it could listen on \(options.host):\(options.port)")
            }
            if let accessToken { url = URL(string: url.absoluteString + "?token=\(accessToken)")! }
            // The first line on stdout is the URL actually served (scripts and tests read it).
            FileHandle.standardOutput.write(Data((url.absoluteString + "\n").utf8))
            logger.info("kubeluma serving", metadata: ["url": "\(url)", "cache": "\(dbPath)", "cluster": "\(connection)"])
            if !options.noOpen { BrowserOpener.open(url, logger: logger) }
            try await tasks.waitForAll()
        }
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt64, radix: 36) }.joined()
    }

    static func explain(_ error: any Error, host: String, port: Int) -> String {
        let text = "\(error)"
        if text.contains("Address already in use") || text.contains("EADDRINUSE") {
            return "port \(port) on \(host) is already in use: pick another with --port (or --port 0 for a free one)"
        }
        return "the server stopped: \(text)"
    }
}

struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `$BROWSER`, else `xdg-open` (Linux) or `open` (macOS). A missing opener is not an error:
/// the URL is printed anyway.
enum BrowserOpener {
    static func open(_ url: URL, logger: Logger) {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [[String]] = []
        if let browser = environment["BROWSER"], !browser.isEmpty { candidates.append([browser]) }
        candidates += [["xdg-open"], ["open"]]
        for command in candidates {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = command + [url.absoluteString]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            if (try? process.run()) != nil { return }
        }
        logger.notice("no browser could be opened; open the URL yourself", metadata: ["url": "\(url)"])
    }
}
