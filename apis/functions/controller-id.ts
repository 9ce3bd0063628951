/**
 * What a platform may pin as the controller identifier (a step input's controllerID, an
 * EnvironmentConfig's data.controllerID): lowercase letters and digits, like the original 6-letter
 * identifiers.
 */
export const CONTROLLER_ID_PATTERN = /^[a-z0-9]{1,16}$/;
