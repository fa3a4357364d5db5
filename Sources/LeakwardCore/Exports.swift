// The stages, re-exported: a client imports `LeakwardCore` and sees every stage's public API.
@_exported import LeakwardDecoders
@_exported import LeakwardFindings
@_exported import LeakwardInputs
@_exported import LeakwardMatching
@_exported import LeakwardModel
@_exported import LeakwardPlan
@_exported import LeakwardReporting
@_exported import LeakwardRules
@_exported import LeakwardSupport
@_exported import LeakwardVerification
