import CXGBoost
import Foundation

/// The only place that calls XGBoost's C API (Debian's libxgboost-dev): typed handles that free
/// themselves, errors with XGBoost's own message. Training is deterministic for a fixed seed and
/// thread count (XGBoost reduces its per-thread histograms in a fixed order); Aurora always
/// trains with `nthread` 2, so a model's bytes depend on that setting, never on the machine's
/// cores, and predicts on one thread.
enum XGBoost {
    /// A matrix or booster exists only once the library has opened, so it frees itself through it.
    final class Matrix {
        let handle: DMatrixHandle
        private let free: aurora_xgb_matrix_free_fn
        init(_ handle: DMatrixHandle, _ lib: Library) {
            self.handle = handle
            free = lib.matrixFree
        }
        deinit { _ = free(handle) }
    }

    final class Booster: @unchecked Sendable {
        let handle: BoosterHandle
        private let free: aurora_xgb_booster_free_fn
        init(_ handle: BoosterHandle, _ lib: Library) {
            self.handle = handle
            free = lib.boosterFree
        }
        deinit { _ = free(handle) }
    }

    static func check(_ code: Int32, _ what: String) throws {
        guard code != 0 else { return }
        let message = (try? Library.shared.get()).flatMap { $0.lastError() }.map { String(cString: $0) } ?? "unknown error"
        throw ModelError("XGBoost \(what): \(message.split(separator: "\n").first.map(String.init) ?? message)")
    }

    /// Rows as float32 (what XGBoost stores), NaN marking a missing value; labels when training.
    static func matrix(_ x: FeatureMatrix, labels: [Double]? = nil) throws -> Matrix {
        let lib = try Library.shared.get()
        let values = x.values.map(Float.init)
        var handle: DMatrixHandle?
        try values.withUnsafeBufferPointer { v in
            try check(lib.matrixCreate(v.baseAddress, bst_ulong(x.rows), bst_ulong(x.columns), Float.nan, &handle), "matrix")
        }
        guard let handle else { throw ModelError("XGBoost matrix: no handle") }
        let m = Matrix(handle, lib)
        if let labels {
            let y = labels.map(Float.init)
            try y.withUnsafeBufferPointer { try check(lib.matrixSetFloatInfo(handle, "label", $0.baseAddress, bst_ulong(y.count)), "labels") }
        }
        return m
    }

    /// Training rows as a quantile matrix: the rows already cut into histogram bins, the cuts
    /// sketched from these rows, or taken from `reference` (an earlier matrix) without sketching
    /// again — the sketch is most of what training a small booster costs.
    static func quantileMatrix(_ x: FeatureMatrix, labels: [Double], maxBin: Int, reference: Matrix?) throws -> Matrix {
        let lib = try Library.shared.get()
        let values = x.values.map(Float.init), y = labels.map(Float.init)
        var proxy: DMatrixHandle?
        try check(lib.proxyCreate(&proxy), "proxy")
        guard let proxy else { throw ModelError("XGBoost proxy: no handle") }
        defer { _ = lib.matrixFree(proxy) }
        return try values.withUnsafeBufferPointer { v in
            try y.withUnsafeBufferPointer { l in
                let batch = Batch(lib: lib, proxy: proxy, interface: "{\"data\": [\(UInt(bitPattern: v.baseAddress)), true], \"shape\": [\(x.rows), \(x.columns)], \"typestr\": \"<f4\", \"version\": 3}",
                                  labels: l.baseAddress, count: x.rows)
                let config = "{\"missing\": NaN, \"nthread\": 2, \"max_bin\": \(maxBin)}"
                var out: DMatrixHandle?
                let iterator = Unmanaged.passUnretained(batch).toOpaque()
                try check(lib.quantileCreate(iterator, proxy, reference.map { UnsafeMutableRawPointer($0.handle) }, Batch.reset, Batch.next,
                                             config, &out), "quantile matrix")
                if let failure = batch.failure { throw failure }
                guard let out else { throw ModelError("XGBoost quantile matrix: no handle") }
                return Matrix(out, lib)
            }
        }
    }

    /// The one batch of a quantile matrix, handed to XGBoost by its data callbacks.
    private final class Batch {
        let lib: Library
        let proxy: DMatrixHandle, interface: String, labels: UnsafePointer<Float>?, count: Int
        var delivered = false
        var failure: ModelError?

        init(lib: Library, proxy: DMatrixHandle, interface: String, labels: UnsafePointer<Float>?, count: Int) {
            self.lib = lib
            self.proxy = proxy
            self.interface = interface
            self.labels = labels
            self.count = count
        }

        static let next: @convention(c) (DataIterHandle?) -> Int32 = { handle in
            guard let handle else { return -1 }
            let batch = Unmanaged<Batch>.fromOpaque(handle).takeUnretainedValue()
            if batch.delivered { return 0 }
            do {
                try check(batch.lib.proxySetDense(batch.proxy, batch.interface), "rows")
                try check(batch.lib.matrixSetFloatInfo(batch.proxy, "label", batch.labels, bst_ulong(batch.count)), "labels")
            } catch {
                batch.failure = error as? ModelError
                return -1
            }
            batch.delivered = true
            return 1
        }

        static let reset: @convention(c) (DataIterHandle?) -> Void = { handle in
            guard let handle else { return }
            Unmanaged<Batch>.fromOpaque(handle).takeUnretainedValue().delivered = false
        }
    }

    /// Trains `rounds` iterations with `parameters` and returns the model's bytes (Universal
    /// Binary JSON, XGBoost's own format).
    static func train(_ data: Matrix, parameters: [(String, String)], rounds: Int) throws -> (bytes: [UInt8], fitted: [Double]) {
        let lib = try Library.shared.get()
        let booster = try makeBooster([data])
        for (key, value) in parameters { try check(lib.boosterSetParam(booster.handle, key, value), "parameter \(key)") }
        for i in 0..<rounds { try check(lib.boosterUpdate(booster.handle, Int32(i), data.handle), "training round \(i)") }
        // The training rows' predictions come from the booster's own cache: no second pass.
        return (try save(booster), try predict(booster, data))
    }

    static func makeBooster(_ matrices: [Matrix]) throws -> Booster {
        let lib = try Library.shared.get()
        var handle: BoosterHandle?
        var handles: [DMatrixHandle?] = matrices.map(\.handle)
        try handles.withUnsafeMutableBufferPointer { try check(lib.boosterCreate($0.baseAddress, bst_ulong(matrices.count), &handle), "create") }
        guard let handle else { throw ModelError("XGBoost create: no handle") }
        return Booster(handle, lib)
    }

    static func save(_ booster: Booster) throws -> [UInt8] {
        let lib = try Library.shared.get()
        var length: bst_ulong = 0
        var pointer: UnsafePointer<CChar>?
        try check(lib.boosterSave(booster.handle, "{\"format\": \"ubj\"}", &length, &pointer), "save")
        guard let pointer else { throw ModelError("XGBoost save: no bytes") }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: Int(length)) { Array(UnsafeBufferPointer(start: $0, count: Int(length))) }
    }

    static func load(_ bytes: [UInt8]) throws -> Booster {
        let lib = try Library.shared.get()
        let booster = try makeBooster([])
        try bytes.withUnsafeBytes { try check(lib.boosterLoad(booster.handle, $0.baseAddress, bst_ulong(bytes.count)), "load") }
        try check(lib.boosterSetParam(booster.handle, "nthread", "1"), "parameter nthread")
        return booster
    }

    /// Predictions straight from the floats (in-place prediction): no DMatrix is built, which
    /// was most of what predicting one cross-section cost. The trees and the missing value
    /// (NaN) are the same, so the numbers are those of a prediction through a DMatrix.
    static func predict(_ booster: Booster, _ x: FeatureMatrix) throws -> [Double] {
        guard x.rows > 0 else { return [] }
        let lib = try Library.shared.get()
        let values = x.values.map(Float.init)
        var shape: UnsafePointer<bst_ulong>?
        var dimensions: bst_ulong = 0
        var result: UnsafePointer<Float>?
        try values.withUnsafeBufferPointer { v in
            let interface = "{\"data\": [\(UInt(bitPattern: v.baseAddress)), true], \"shape\": [\(x.rows), \(x.columns)], \"typestr\": \"<f4\", \"version\": 3}"
            let config = "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, \"iteration_end\": 0, \"strict_shape\": false, \"cache_id\": 0, \"missing\": NaN}"
            try check(lib.boosterPredictDense(booster.handle, interface, config, nil, &shape, &dimensions, &result), "predict")
        }
        let count = shape.map { s in (0..<Int(dimensions)).reduce(1) { $0 * Int(s[$1]) } } ?? 0
        guard let result, count == x.rows else { throw ModelError("XGBoost predict: \(count) predictions for \(x.rows) rows") }
        return (0..<count).map { Double(result[$0]) }
    }

    static func predict(_ booster: Booster, _ data: Matrix) throws -> [Double] {
        let lib = try Library.shared.get()
        var length: bst_ulong = 0
        var result: UnsafePointer<Float>?
        try check(lib.boosterPredict(booster.handle, data.handle, 0, 0, 0, &length, &result), "predict")
        var rows: bst_ulong = 0
        try check(lib.matrixRows(data.handle, &rows), "rows")
        guard let result, length == rows else { throw ModelError("XGBoost predict: \(length) predictions for \(rows) rows") }
        return (0..<Int(length)).map { Double(result[$0]) }
    }
}

/// XGBoost's own training loop with nothing around it — a matrix of floats already in XGBoost's
/// layout, the parameters, the rounds — for benchmarks to measure what the model layer adds
/// (conversions, the target, validation, serialization) on top of the library.
public enum XGBoostBaseline {
    public static func train(_ data: TrainingSet, kind: ModelKind = .xgboost) throws -> [UInt8] {
        let (parameters, rounds) = BoostedModel.parameters(kind, try kind.resolve([:]).get(), baseScore: 0)
        return try XGBoost.train(try XGBoost.matrix(data.x, labels: data.y), parameters: parameters, rounds: rounds).bytes
    }
}
