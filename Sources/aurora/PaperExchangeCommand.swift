#if Alpaca
import ArgumentParser
import Aurora
import AuroraGateway
import AuroraPaperExchange
import Foundation

struct PaperExchangeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paper-exchange",
        abstract: "A local exchange speaking Alpaca's API: streams recorded bars as live ones and fills orders against them.",
        discussion: """
        Serves the subset of Alpaca's trading REST API (account, positions, assets, orders), its
        order-updates stream (/stream) and its v2 market-data stream (/v2/iex) that `aurora live
        --feed paper:URL --broker paper:URL` uses, so sessions can be rehearsed without an account.
        Market orders fill at the next bar's open, limit orders when a bar reaches the limit, each
        bar taking at most --max-participation of its volume (the rest fills on later bars). The
        clock waits while no client is subscribed. --reject-every and --drop-every rehearse broker
        rejects and disconnects. Any non-empty key pair is accepted unless --require-credentials.
        """)

    @Option(name: .long, help: "Port to listen on (0: any free port; the line printed at start names it).") var port = 8089
    @Option(name: .long, help: "Address to bind.") var host = "127.0.0.1"
    @Option(name: .long, help: "Bars to play: a CSV or an Aurora log (default: the embedded synthetic universe).") var data: String?
    @Option(name: .long, help: "Time zone of the CSV's dates.") var tz = "America/New_York"
    @Option(name: .long, help: "Recorded time per wall time (86400 plays a day per second), or max.") var speed = "max"
    @Option(name: .long, help: "Largest share of a bar's volume one symbol's orders may take.") var maxParticipation = 0.1
    @Option(name: .long, help: "Refuse every Nth order (0: never).") var rejectEvery = 0
    @Option(name: .long, help: "Close every stream connection after every N bar times (0: never).") var dropEvery = 0
    @Option(name: .long, help: "Starting cash of the paper account.") var cash = 1_000_000.0
    @Option(name: .long, help: "Record the bars played and every client order, fill and cancel as an Aurora log (closed at SIGINT).") var out: String?
    @Flag(name: .long, help: "Accept only the key pair in APCA_API_KEY_ID / APCA_API_SECRET_KEY (or --credentials).") var requireCredentials = false
    @Option(name: .long, help: "A credentials file (key_id:, secret_key:) for --require-credentials.") var credentials: String?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0…65535, not \(port)") }
        guard speedValue != nil || speed == "max" else { throw ValidationError("--speed must be a positive number or max, not \"\(speed)\"") }
        guard maxParticipation > 0, maxParticipation <= 1 else { throw ValidationError("--max-participation must be in (0, 1], not \(maxParticipation)") }
        guard rejectEvery >= 0, dropEvery >= 0 else { throw ValidationError("--reject-every and --drop-every must be 0 or more") }
        guard cash > 0, cash.isFinite, cash <= 1e12 else { throw ValidationError("--cash must be positive and at most 1e12, not \(cash)") }
        guard rejectEvery <= 1_000_000, dropEvery <= 1_000_000 else { throw ValidationError("--reject-every and --drop-every must be at most 1000000") }
    }

    private var speedValue: Double? { Double(speed).flatMap { $0 > 0 && $0.isFinite && $0 <= 1e12 ? $0 : nil } }

    func run() async throws {
        let source: any MarketDataSource
        if let data {
            source = data.hasSuffix(".alog") ? LogDataSource(path: data) : CSVDataSource(path: data, options: BarCSVOptions(timeZone: tz))
        } else {
            source = try DataSourceFactory.source(for: AuroraConfig().data)
        }
        let (series, report) = try source.load()
        // The rows it left out and the bars worth a look, as a backtest reports them.
        printDataReport(report, warnings: KernelWarnings())
        var options = PaperExchangeOptions()
        options.speed = speedValue
        options.maxParticipation = maxParticipation
        options.rejectEvery = rejectEvery
        options.dropEvery = dropEvery
        options.cash = cash
        options.logPath = out
        options.dataSource = source.sourceDescription
        if requireCredentials { options.credentials = try AlpacaCredentials.resolve(file: credentials) }
        let exchange = try PaperExchange(series: series, options: options)
        let description = "\(series.symbols.count) symbols, \(grouped(series.groups.count)) bar times of \(series.timeframe) bars from \(source.sourceDescription)"
        let host = self.host
        let server = Task {
            try await PaperExchangeServer.run(exchange, host: host, port: port) { bound in
                printLine("paper exchange on http://\(host):\(bound): \(description)")
            }
        }
        let clock = Task {
            await exchange.play()
            if !Task.isCancelled {
                printLine("data ended after \(grouped(await exchange.barTimesPlayed)) bar times; still serving orders and accounts")
            }
        }
        let signals = StopSignals { clock.cancel(); server.cancel() }
        defer { signals.cancel() }
        do { try await server.value } catch is CancellationError {}
        clock.cancel()
        if let summary = await exchange.closeLog(reason: "stopped") {
            printLine("log \(summary.path): \(grouped(summary.eventCount)) events, digest \(summary.digestHex)")
        }
        if let error = await exchange.recordingError {
            printError("error: recording the log stopped: \(error) (the events before it are in the log)")
            throw ExitCode(1)
        }
    }
}
#endif
