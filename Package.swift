// swift-tools-version: 6.1
import PackageDescription

// Module dependencies point one way: kubeluma → Server → Store → Informer.
// KubeSim (the simulated cluster) depends on none of them, so a misunderstanding of
// Kubernetes cannot hide in both the client and its stand-in server.
let package = Package(
    name: "kubeluma",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kubeluma", targets: ["kubeluma"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
    ],
    targets: [
        // System libraries (Debian -dev packages, installed by `make deps`).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CPCRE2", pkgConfig: "libpcre2-8", providers: [.apt(["libpcre2-dev"])]),
        // OpenSSL's X.509 reader, to name an expired client certificate before any request.
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // glibc's malloc.h (malloc_trim), which Swift's Glibc module leaves out.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        // A C API over simdjson (Debian libsimdjson-dev) for the informers' JSON decoding.
        .target(name: "CSimdJSON", linkerSettings: [.linkedLibrary("simdjson")]),

        // Embeds `migrations/` and `web/` into the binary at build time, so kubeluma runs
        // from any working directory and needs no files beside it.
        .executableTarget(name: "EmbedAssetsTool", path: "Sources/EmbedAssetsTool"),
        .plugin(name: "EmbedAssets", capability: .buildTool(), dependencies: ["EmbedAssetsTool"]),

        .target(
            name: "Informer",
            dependencies: [
                "CCurl", "CCrypto", "CSimdJSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "Store",
            dependencies: [
                "Informer", "CSQLite", "CPCRE2", "CMalloc",
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: ["EmbedAssets"]
        ),
        .target(
            name: "Server",
            dependencies: [
                "Store", "Informer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            plugins: ["EmbedAssets"]
        ),
        .target(
            name: "KubeSim",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "kubeluma",
            dependencies: [
                "Server", "KubeSim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        .testTarget(name: "InformerTests", dependencies: ["Informer", "KubeSim"]),
        .testTarget(name: "StoreTests", dependencies: ["Store"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "KubeSim",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ]
        ),
        .testTarget(
            name: "KubeSimTests",
            dependencies: [
                "KubeSim",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
