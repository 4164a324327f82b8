// `import Aurora` is all a user needs: the event model and log, the statistics, data sources,
// the kernel and its protocols, execution, strategies, the run layer (configuration, the
// component registry, backtests, replays, what-if reruns), diffs and live sessions. The network
// gateways (`AuroraGateway`, `AuroraPaperExchange`) are imported on their own.
@_exported import AuroraModel
@_exported import AuroraLog
@_exported import AuroraStats
@_exported import AuroraData
@_exported import AuroraKernel
@_exported import AuroraExecution
@_exported import AuroraStrategies
@_exported import AuroraRun
@_exported import AuroraDiff
@_exported import AuroraLive
@_exported import AuroraFeatures
@_exported import AuroraResearch
@_exported import AuroraModels
@_exported import AuroraPolicy
@_exported import AuroraReport
@_exported import AuroraSweep
