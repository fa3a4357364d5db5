// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Leakward",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "leakward", targets: ["leakward"]),
        .library(name: "LeakwardCore", targets: ["LeakwardCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CPCRE2", pkgConfig: "libpcre2-8", providers: [.apt(["libpcre2-dev"])]),
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CBrotli", pkgConfig: "libbrotlidec", providers: [.apt(["libbrotli-dev"])]),
        // Git pack objects are inflated whole (their size is known) by libdeflate, about 1.5x
        // zlib's speed there; linked statically (see Sources/CDeflate/module.modulemap).
        .systemLibrary(name: "CDeflate", providers: [.apt(["libdeflate-dev"])]),
        // libcurl for `--verify` (HTTPS only, no redirects, a test CA for loopback mocks): URLSession on
        // Linux cannot be given a CA file or refuse redirects per host, and no Swift package is needed.
        // Not linked: opened on the first request (Sources/CCurl/shim.h), so a scan does not load
        // libcurl and its two dozen libraries at start. The headers come from libcurl4-openssl-dev.
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // OpenSSL for `--verify-db`: TLS started inside a database protocol (PostgreSQL's SSLRequest,
        // MySQL's SSL packet) on our own socket, which libcurl cannot do; plus MD5/SHA-1/PBKDF2 for
        // the logins. It is the library libcurl already links.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // libxcrypt (libcrypt-dev; libc6-dev depends on it) for `crypt_rn`: a password hash tested
        // against the few well-known default passwords (`[default_passwords]` of rules/context/values.toml).
        .systemLibrary(name: "CCrypt", pkgConfig: "libxcrypt", providers: [.apt(["libcrypt-dev"])]),
        // Header-only C (SSE2 compares, 16 bytes per step) for the byte scans of every matched
        // byte: Swift's SIMD types compile lane by lane for the baseline x86-64 target.
        .systemLibrary(name: "CByteScan"),
        // Turns rules/*.toml into a Swift source at build time, so the binary carries its rules
        // and the TOML files stay the only source of truth.
        .executableTarget(name: "RuleEmbedder", path: "Sources/RuleEmbedder"),
        .plugin(name: "EmbedRules", capability: .buildTool(), dependencies: ["RuleEmbedder"]),
        // The core is one target per stage, so the compiler keeps the one-way flow of
        // docs/ARCHITECTURE.md ("Modules"): a stage imports only the stages before it.
        .target(name: "LeakwardSupport", dependencies: ["CPCRE2", "CZlib", "CByteScan"]),
        .target(name: "LeakwardModel", dependencies: ["LeakwardSupport"]),
        .target(name: "LeakwardRules", dependencies: ["LeakwardModel", "LeakwardSupport"], plugins: ["EmbedRules"]),
        .target(name: "LeakwardMatching", dependencies: ["LeakwardRules", "LeakwardModel", "LeakwardSupport"]),
        .target(name: "LeakwardFindings", dependencies: ["LeakwardMatching", "LeakwardRules", "LeakwardModel", "LeakwardSupport", "CCrypt"]),
        .target(name: "LeakwardDecoders", dependencies: ["LeakwardModel", "LeakwardSupport", "CZlib", "CBrotli", "CDeflate"]),
        .target(name: "LeakwardInputs", dependencies: ["LeakwardDecoders", "LeakwardRules", "LeakwardModel", "LeakwardSupport", "CGit2"]),
        .target(name: "LeakwardVerification", dependencies: ["LeakwardRules", "LeakwardModel", "LeakwardSupport", "CCurl", "COpenSSL"]),
        .target(name: "LeakwardPlan", dependencies: ["LeakwardInputs", "LeakwardRules", "LeakwardModel", "LeakwardSupport"]),
        .target(name: "LeakwardReporting", dependencies: ["LeakwardPlan", "LeakwardModel", "LeakwardSupport"]),
        // Pipeline (the only threads besides Support/Parallel) and Session (the composition root);
        // re-exports every stage, so the CLI, the fuzz target and the tests `import LeakwardCore`.
        .target(
            name: "LeakwardCore",
            dependencies: ["LeakwardReporting", "LeakwardPlan", "LeakwardVerification", "LeakwardInputs", "LeakwardDecoders",
                           "LeakwardFindings", "LeakwardMatching", "LeakwardRules", "LeakwardModel", "LeakwardSupport"]
        ),
        .executableTarget(
            name: "leakward",
            dependencies: [
                "LeakwardCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer harness for every parser and decoder: `make fuzz` builds it with -sanitize=fuzzer.
        .executableTarget(name: "LeakwardFuzz", dependencies: ["LeakwardCore"]),
        .testTarget(name: "LeakwardCoreTests", dependencies: ["LeakwardCore"]),
        .testTarget(name: "LeakwardCLITests", dependencies: ["LeakwardCore"]),
    ]
)

// Release builds carry the Swift runtime and Foundation inside the binary (as `make dist` does):
// a scan then starts without the dynamic loader resolving thousands of symbols in a dozen shared
// libraries, about 15 ms of every run (a fifth of a small directory scan's wall time). The flag
// is given to every compile too, so modules are found, and link, in their static form.
for target in package.targets where target.type == .regular || target.type == .executable || target.type == .test {
    let flags: [String] = ["-static-stdlib"]
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(flags, .when(platforms: [.linux], configuration: .release))]
    if target.type == .executable {
        target.linkerSettings = (target.linkerSettings ?? []) + [.unsafeFlags(flags, .when(platforms: [.linux], configuration: .release))]
    }
}
