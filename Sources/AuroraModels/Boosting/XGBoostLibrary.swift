import CXGBoost

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

        /// The library, or the error that says why it is not there and what to install.
        static let shared = Result { () throws(ModelError) in try open() }

        private static func open() throws(ModelError) -> Library {
            let lib = try DynamicLibrary("XGBoost", files: ["libxgboost.so.0", "libxgboost.so"], install: "libxgboost-dev")
            return Library(
                lastError: try lib.symbol("XGBGetLastError"), matrixCreate: try lib.symbol("XGDMatrixCreateFromMat"),
                matrixSetFloatInfo: try lib.symbol("XGDMatrixSetFloatInfo"), matrixRows: try lib.symbol("XGDMatrixNumRow"),
                matrixFree: try lib.symbol("XGDMatrixFree"), proxyCreate: try lib.symbol("XGProxyDMatrixCreate"),
                proxySetDense: try lib.symbol("XGProxyDMatrixSetDataDense"),
                quantileCreate: try lib.symbol("XGQuantileDMatrixCreateFromCallback"), boosterCreate: try lib.symbol("XGBoosterCreate"),
                boosterFree: try lib.symbol("XGBoosterFree"), boosterSetParam: try lib.symbol("XGBoosterSetParam"),
                boosterUpdate: try lib.symbol("XGBoosterUpdateOneIter"), boosterSave: try lib.symbol("XGBoosterSaveModelToBuffer"),
                boosterLoad: try lib.symbol("XGBoosterLoadModelFromBuffer"), boosterPredict: try lib.symbol("XGBoosterPredict"),
                boosterPredictDense: try lib.symbol("XGBoosterPredictFromDense"))
        }
    }
}
