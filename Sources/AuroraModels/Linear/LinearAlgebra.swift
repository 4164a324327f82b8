import CLapack
import Foundation

/// The only place that calls LAPACK and BLAS (Debian's LAPACKE over OpenBLAS): the normal
/// equations of the linear models. OpenBLAS runs on one thread, so every sum has one order and
/// the same data gives the same coefficients to the bit.
enum LinearAlgebra {
    /// LAPACKE and CBLAS, opened at first use rather than linked: a linked OpenBLAS starts its
    /// worker threads when the process loads, and they spin on the second core for ~0.1 s in every
    /// command, the ones that never fit a model (and want that core) included.
    struct Library {
        let dsyrk: aurora_dsyrk_fn
        let dgemv: aurora_dgemv_fn
        let dposv: aurora_dposv_fn
        let dgelsd: aurora_dgelsd_fn

        static let shared = Result { () throws(ModelError) in try open() }

        private static func open() throws(ModelError) -> Library {
            // Read by OpenBLAS when it loads: one thread, so sums keep one order (and no spinners).
            setenv("OPENBLAS_NUM_THREADS", "1", 1)
            let lib = try DynamicLibrary("LAPACK", files: ["liblapacke.so.3", "liblapacke.so"], global: true,
                                         install: "liblapacke-dev and libopenblas-dev")
            if let setThreads: aurora_set_threads_fn = lib.optionalSymbol("openblas_set_num_threads") { setThreads(1) }
            return Library(dsyrk: try lib.symbol("cblas_dsyrk"), dgemv: try lib.symbol("cblas_dgemv"),
                           dposv: try lib.symbol("LAPACKE_dposv"), dgelsd: try lib.symbol("LAPACKE_dgelsd"))
        }
    }

    /// X'X / n (p × p, row-major, both triangles) and X'y / n for a standardized n × p matrix.
    static func normalEquations(_ x: FeatureMatrix, _ y: [Double]) throws -> (gram: [Double], xty: [Double]) {
        let lib = try Library.shared.get()
        let n = x.rows, p = x.columns
        var gram = [Double](repeating: 0, count: p * p), xty = [Double](repeating: 0, count: p)
        guard n > 0, p > 0 else { return (gram, xty) }
        let scale = 1 / Double(n)
        x.values.withUnsafeBufferPointer { a in
            gram.withUnsafeMutableBufferPointer { g in
                lib.dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(p), Int32(n), scale, a.baseAddress, Int32(p), 0, g.baseAddress, Int32(p))
            }
            y.withUnsafeBufferPointer { b in
                xty.withUnsafeMutableBufferPointer { v in
                    lib.dgemv(CblasRowMajor, CblasTrans, Int32(n), Int32(p), scale, a.baseAddress, Int32(p), b.baseAddress, 1, 0, v.baseAddress, 1)
                }
            }
        }
        // dsyrk fills the upper triangle; mirror it so either can be read.
        for i in 0..<p { for j in 0..<i { gram[i * p + j] = gram[j * p + i] } }
        return (gram, xty)
    }

    /// Solves (G + λI) β = b for a symmetric positive definite system (Cholesky, `dposv`).
    static func solveRidge(_ gram: [Double], _ b: [Double], lambda: Double) throws -> [Double] {
        let lib = try Library.shared.get()
        let p = b.count
        var a = gram
        for i in 0..<p { a[i * p + i] += lambda }
        var x = b
        let info = a.withUnsafeMutableBufferPointer { ap in
            x.withUnsafeMutableBufferPointer { xp in
                lib.dposv(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(p), 1, ap.baseAddress, Int32(p), xp.baseAddress, 1)
            }
        }
        guard info == 0 else { throw ModelError("ridge: the normal equations are not positive definite (LAPACK dposv info \(info)); raise lambda") }
        return x
    }

    /// The minimum-norm solution of G β = b (singular value decomposition, `dgelsd`): ordinary
    /// least squares that stays defined when features are collinear (Alpha158's CNTD is CNTP −
    /// CNTN exactly).
    static func solveMinimumNorm(_ gram: [Double], _ b: [Double]) throws -> [Double] {
        let lib = try Library.shared.get()
        let p = b.count
        var a = gram, x = b
        var singular = [Double](repeating: 0, count: p)
        var rank: Int32 = 0
        let info = a.withUnsafeMutableBufferPointer { ap in
            x.withUnsafeMutableBufferPointer { xp in
                singular.withUnsafeMutableBufferPointer { sp in
                    lib.dgelsd(LAPACK_ROW_MAJOR, Int32(p), Int32(p), 1, ap.baseAddress, Int32(p), xp.baseAddress, 1, sp.baseAddress, 1e-10, &rank)
                }
            }
        }
        guard info == 0 else { throw ModelError("ols: the least-squares solve did not converge (LAPACK dgelsd info \(info))") }
        return x
    }
}

public struct ModelError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
