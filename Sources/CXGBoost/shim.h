// XGBoost's C API (Debian's libxgboost-dev, 1.7): boosted trees, random forests and the
// linear booster.
#include <xgboost/c_api.h>
