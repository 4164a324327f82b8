// XGBoost's C API (Debian's libxgboost-dev, 1.7): boosted trees, random forests and the
// linear booster. Nothing here is linked: AuroraModels opens libxgboost when a boosted model is
// first trained or loaded, so the commands that never touch one (most of them) do not pay for
// loading it and its C++ dependencies at every start (~3 ms of each).
#include <xgboost/c_api.h>

typedef __typeof__(&XGBGetLastError) aurora_xgb_last_error_fn;
typedef __typeof__(&XGDMatrixCreateFromMat) aurora_xgb_matrix_create_fn;
typedef __typeof__(&XGDMatrixSetFloatInfo) aurora_xgb_matrix_set_float_info_fn;
typedef __typeof__(&XGDMatrixNumRow) aurora_xgb_matrix_rows_fn;
typedef __typeof__(&XGDMatrixFree) aurora_xgb_matrix_free_fn;
typedef __typeof__(&XGProxyDMatrixCreate) aurora_xgb_proxy_create_fn;
typedef __typeof__(&XGProxyDMatrixSetDataDense) aurora_xgb_proxy_set_dense_fn;
typedef __typeof__(&XGQuantileDMatrixCreateFromCallback) aurora_xgb_quantile_create_fn;
typedef __typeof__(&XGBoosterCreate) aurora_xgb_booster_create_fn;
typedef __typeof__(&XGBoosterFree) aurora_xgb_booster_free_fn;
typedef __typeof__(&XGBoosterSetParam) aurora_xgb_booster_set_param_fn;
typedef __typeof__(&XGBoosterUpdateOneIter) aurora_xgb_booster_update_fn;
typedef __typeof__(&XGBoosterSaveModelToBuffer) aurora_xgb_booster_save_fn;
typedef __typeof__(&XGBoosterLoadModelFromBuffer) aurora_xgb_booster_load_fn;
typedef __typeof__(&XGBoosterPredict) aurora_xgb_booster_predict_fn;
typedef __typeof__(&XGBoosterPredictFromDense) aurora_xgb_booster_predict_dense_fn;
