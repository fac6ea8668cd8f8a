// asl-validator 4 ships JavaScript only; this is the part of its API the tests use.
declare module "asl-validator" {
  interface AslValidationError {
    "Error code": string;
    Message: string;
  }
  interface AslValidationResult {
    isValid: boolean;
    errors: AslValidationError[];
    errorsText(separator?: string): string;
  }
  function validateAsl(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): AslValidationResult;
  export = validateAsl;
}
