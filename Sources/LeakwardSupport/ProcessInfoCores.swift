import Foundation

/// The number of cores this process may use.
public enum ProcessInfoCores {
    public static var count: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// One worker per core, at least one: the default of scans, history walks and provenance.
    public static var workerCount: Int { max(1, count) }
}
