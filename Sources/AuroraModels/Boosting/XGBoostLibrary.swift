import CXGBoost
import Foundation

extension XGBoost {
    /// libxgboost's entry points, opened at the first boosted model rather than linked: loading
    /// it (with libstdc++, libdmlc and libgomp) and resolving its symbols took ~3 ms of every
    /// start, `aurora verify` and `aurora info` included, which never train or predict.
    struct Library {
        let lastError: aurora_xgb_last_error_fn
        let matrixCreate: aurora_xgb_matrix_create_fn
        let matrixSetFloatInfo: aurora_xgb_matrix_set_float_info_fn
        let matrixRows: aurora_xgb_matrix_rows_fn
        let matrixFree: aurora_xgb_matrix_free_fn
        let proxyCreate: aurora_xgb_proxy_create_fn
        let proxySetDense: aurora_xgb_proxy_set_dense_fn
        let quantileCreate: aurora_xgb_quantile_create_fn
        let boosterCreate: aurora_xgb_booster_create_fn
        let boosterFree: aurora_xgb_booster_free_fn
        let boosterSetParam: aurora_xgb_booster_set_param_fn
        let boosterUpdate: aurora_xgb_booster_update_fn
        let boosterSave: aurora_xgb_booster_save_fn
        let boosterLoad: aurora_xgb_booster_load_fn
        let boosterPredict: aurora_xgb_booster_predict_fn
        let boosterPredictDense: aurora_xgb_booster_predict_dense_fn

        static let shared: Result<Library, ModelError> = open()

        /// The library, or the error that says why it is not there and what to install.
        static func get() throws -> Library { try shared.get() }

        private static func open() -> Result<Library, ModelError> {
            // The runtime's name first (the development package's link is the fallback); the
            // error said is the first one, about the file a user has to install.
            var handle = dlopen("libxgboost.so.0", RTLD_NOW | RTLD_LOCAL)
            let reason = handle == nil ? dlerrorText() : ""
            if handle == nil { handle = dlopen("libxgboost.so", RTLD_NOW | RTLD_LOCAL) }
            guard let handle else {
                return .failure(ModelError("XGBoost: cannot open libxgboost.so.0 (\(reason)); install libxgboost-dev"))
            }
            func symbol<F>(_ name: String) throws(ModelError) -> F {
                guard let p = dlsym(handle, name) else {
                    throw ModelError("XGBoost: libxgboost.so.0 lacks \(name) (\(dlerrorText())); version 1.7 or later is needed")
                }
                return unsafeBitCast(p, to: F.self)
            }
            do throws(ModelError) {
                return .success(Library(
                    lastError: try symbol("XGBGetLastError"), matrixCreate: try symbol("XGDMatrixCreateFromMat"),
                    matrixSetFloatInfo: try symbol("XGDMatrixSetFloatInfo"), matrixRows: try symbol("XGDMatrixNumRow"),
                    matrixFree: try symbol("XGDMatrixFree"), proxyCreate: try symbol("XGProxyDMatrixCreate"),
                    proxySetDense: try symbol("XGProxyDMatrixSetDataDense"),
                    quantileCreate: try symbol("XGQuantileDMatrixCreateFromCallback"), boosterCreate: try symbol("XGBoosterCreate"),
                    boosterFree: try symbol("XGBoosterFree"), boosterSetParam: try symbol("XGBoosterSetParam"),
                    boosterUpdate: try symbol("XGBoosterUpdateOneIter"), boosterSave: try symbol("XGBoosterSaveModelToBuffer"),
                    boosterLoad: try symbol("XGBoosterLoadModelFromBuffer"), boosterPredict: try symbol("XGBoosterPredict"),
                    boosterPredictDense: try symbol("XGBoosterPredictFromDense")))
            } catch {
                return .failure(error)
            }
        }

        private static func dlerrorText() -> String { dlerror().map { String(cString: $0) } ?? "no detail" }
    }
}
