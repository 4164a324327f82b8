import CXGBoost
import Foundation

/// The only place that calls XGBoost's C API (Debian's libxgboost-dev): typed handles that free
/// themselves, errors with XGBoost's own message. Training is deterministic for a fixed seed and
/// thread count; Aurora trains on one thread (`nthread` 1) so a model's bytes never depend on the
/// machine's cores.
enum XGBoost {
    final class Matrix {
        let handle: DMatrixHandle
        init(_ handle: DMatrixHandle) { self.handle = handle }
        deinit { XGDMatrixFree(handle) }
    }

    final class Booster: @unchecked Sendable {
        let handle: BoosterHandle
        init(_ handle: BoosterHandle) { self.handle = handle }
        deinit { XGBoosterFree(handle) }
    }

    static func check(_ code: Int32, _ what: String) throws {
        guard code != 0 else { return }
        let message = XGBGetLastError().map { String(cString: $0) } ?? "unknown error"
        throw ModelError("XGBoost \(what): \(message.split(separator: "\n").first.map(String.init) ?? message)")
    }

    /// Rows as float32 (what XGBoost stores), NaN marking a missing value; labels when training.
    static func matrix(_ x: FeatureMatrix, labels: [Double]? = nil) throws -> Matrix {
        let values = x.values.map(Float.init)
        var handle: DMatrixHandle?
        try values.withUnsafeBufferPointer { v in
            try check(XGDMatrixCreateFromMat(v.baseAddress, bst_ulong(x.rows), bst_ulong(x.columns), Float.nan, &handle), "matrix")
        }
        guard let handle else { throw ModelError("XGBoost matrix: no handle") }
        let m = Matrix(handle)
        if let labels {
            let y = labels.map(Float.init)
            try y.withUnsafeBufferPointer { try check(XGDMatrixSetFloatInfo(handle, "label", $0.baseAddress, bst_ulong(y.count)), "labels") }
        }
        return m
    }

    /// Trains `rounds` iterations with `parameters` and returns the model's bytes (Universal
    /// Binary JSON, XGBoost's own format).
    static func train(_ x: FeatureMatrix, _ y: [Double], parameters: [(String, String)], rounds: Int) throws -> [UInt8] {
        let data = try matrix(x, labels: y)
        let booster = try makeBooster([data])
        for (key, value) in parameters { try check(XGBoosterSetParam(booster.handle, key, value), "parameter \(key)") }
        for i in 0..<rounds { try check(XGBoosterUpdateOneIter(booster.handle, Int32(i), data.handle), "training round \(i)") }
        return try save(booster)
    }

    static func makeBooster(_ matrices: [Matrix]) throws -> Booster {
        var handle: BoosterHandle?
        var handles: [DMatrixHandle?] = matrices.map(\.handle)
        try handles.withUnsafeMutableBufferPointer { try check(XGBoosterCreate($0.baseAddress, bst_ulong(matrices.count), &handle), "create") }
        guard let handle else { throw ModelError("XGBoost create: no handle") }
        return Booster(handle)
    }

    static func save(_ booster: Booster) throws -> [UInt8] {
        var length: bst_ulong = 0
        var pointer: UnsafePointer<CChar>?
        try check(XGBoosterSaveModelToBuffer(booster.handle, "{\"format\": \"ubj\"}", &length, &pointer), "save")
        guard let pointer else { throw ModelError("XGBoost save: no bytes") }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: Int(length)) { Array(UnsafeBufferPointer(start: $0, count: Int(length))) }
    }

    static func load(_ bytes: [UInt8]) throws -> Booster {
        let booster = try makeBooster([])
        try bytes.withUnsafeBytes { try check(XGBoosterLoadModelFromBuffer(booster.handle, $0.baseAddress, bst_ulong(bytes.count)), "load") }
        try check(XGBoosterSetParam(booster.handle, "nthread", "1"), "parameter nthread")
        return booster
    }

    static func predict(_ booster: Booster, _ x: FeatureMatrix) throws -> [Double] {
        guard x.rows > 0 else { return [] }
        let data = try matrix(x)
        var length: bst_ulong = 0
        var result: UnsafePointer<Float>?
        try check(XGBoosterPredict(booster.handle, data.handle, 0, 0, 0, &length, &result), "predict")
        guard let result, Int(length) == x.rows else { throw ModelError("XGBoost predict: \(length) predictions for \(x.rows) rows") }
        return (0..<x.rows).map { Double(result[$0]) }
    }

    /// The library's version, for artifacts and reports.
    static var version: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        XGBoostVersion(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}
