// OCI's default "endpoint" in the catalogue: the realm's domain. OCI has no single API origin (each service and
// region has its own host, which the SDK derives from the region), so this value only stands for "no override";
// any other value of cloudtop.oci.endpoint / CLOUDTOP_OCI_ENDPOINT is an origin every request goes to instead.
// SDK-free: the catalogue imports it.
export const DEFAULT_OCI_ENDPOINT = 'https://oraclecloud.com';
/**
 * Oracle's public price list (as skypilot-org/skypilot sky/catalog/data_fetchers/fetch_oci.py and dstackai/gpuhunt
 * src/gpuhunt/providers/oci.py read it): its own host, no authentication.
 */
export const OCI_PRICE_LIST_ORIGIN = 'https://apexapps.oracle.com';
export const OCI_PRICE_LIST_PATH = '/pls/apex/cetools/api/v1/products/';
/**
 * The shape data behind Oracle's public Cost Estimator (www.oracle.com/cloud/costestimator.html): every shape with the
 * part numbers it is billed under, as skypilot-org/skypilot sky/catalog/data_fetchers/fetch_oci.py (SHAPES_URL) and
 * dstackai/gpuhunt src/gpuhunt/providers/oci.py (COST_ESTIMATOR_URL_TEMPLATE) read it. Public, no authentication.
 */
export const OCI_ESTIMATOR_ORIGIN = 'https://www.oracle.com';
export const OCI_ESTIMATOR_SHAPES_PATH = '/a/ocom/docs/cloudestimator2/data/shapes.json';
