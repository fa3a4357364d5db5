/// Leakward's version, written into every report.
public let version = "0.1.0"
