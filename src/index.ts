export {
  type ActionsFlow,
  type ActionsUser,
  createActionsFlow,
  MAX_ACTIONS_METADATA_BYTES,
  type PostLoginAction,
  type PostLoginApi,
  type PostLoginEvent,
  runPostLoginActions,
} from './actions.js';
export { analyzePatch, describeEffect, type PatchAnalysis, type PatchEffect } from './analyzePatch.js';
export { applyPatch } from './applyPatch.js';
export { authorizeUserRequest, type TokenGrant, type UserRequest } from './authorizeUserRequest.js';
export { createUser, type ValidCreateUserBody, validateCreateUser } from './createUser.js';
export { diffToPatch } from './diffToPatch.js';
export type { AttributeName } from './internal/attributes.js';
export { MAX_METADATA_BYTES, RESERVED_APP_METADATA_KEYS } from './internal/metadata.js';
export { MAX_PROFILE_BYTES } from './internal/profile.js';
export {
  type CircularReferenceIssue,
  type ConflictingFieldsIssue,
  type EmptyBodyIssue,
  type Failure,
  type ForbiddenCharacterIssue,
  formatPath,
  type InsufficientScopeIssue,
  type InvalidFormatIssue,
  type InvalidPagingIssue,
  type InvalidQueryIssue,
  type InvalidSearchQueryIssue,
  type InvalidTokenIssue,
  type InvalidTypeIssue,
  type Issue,
  type IssueBase,
  type IssueCode,
  type Issues,
  MAX_METADATA_DEPTH,
  type MetadataTooLargeIssue,
  type MissingPropertyIssue,
  type NotJsonIssue,
  type Path,
  type PathSegment,
  type PatternMismatchIssue,
  type ProfileTooLargeWarning,
  type ReservedKeyIssue,
  type Result,
  type SearchEngineNotAllowedIssue,
  type SearchQueryProblem,
  type SignupForbiddenCharacterIssue,
  type SignupInvalidTypeIssue,
  type SignupNameTooLongIssue,
  type SignupTooManyPropertiesIssue,
  type SignupUserExistsIssue,
  type SignupValueTooLongIssue,
  type SubjectMismatchIssue,
  type Success,
  type TooDeepIssue,
  type TooLongIssue,
  type TooShortIssue,
  type UnknownKeysIssue,
  type UnreachableIssue,
  type UserExistsIssue,
  type UserNotFoundIssue,
  type Warning,
} from './issues.js';
export {
  parseSearchQuery,
  type SearchAll,
  type SearchAnd,
  type SearchExists,
  type SearchFieldPath,
  type SearchNot,
  type SearchOr,
  type SearchQuery,
  type SearchRange,
  type SearchTerm,
  type SearchWildcard,
} from './parseSearchQuery.js';
export {
  DEFAULT_PER_PAGE,
  MAX_PER_PAGE,
  MAX_QUERY_CLAUSES,
  MAX_QUERY_DEPTH,
  MAX_RESULT_WINDOW,
  SEARCH_FIELDS,
  type SearchField,
  type SearchFieldType,
} from './rules/search.js';
export {
  type FindUsersByEmailQuery,
  findUsersByEmail,
  type SearchUsersBody,
  type SearchUsersPage,
  type SearchUsersQuery,
  searchUsers,
} from './searchUsers.js';
export {
  type BulkImportUser,
  type ReadSeedOptions,
  readSeedUser,
  SEED_FORM_NAMES,
  type SeedEntry,
  type SeedForm,
  type SeedUser,
  seedFormOf,
} from './seedUser.js';
export { selectFields } from './selectFields.js';
export {
  type SignupBody,
  type SignupResponse,
  type SignupResult,
  signupUser,
  validateSignup,
} from './signupUser.js';
export {
  type Auth0Error,
  type AuthenticationErrorBody,
  type ManagementErrorBody,
  toAuth0Error,
} from './toAuth0Error.js';
export type {
  CreateUserBody,
  CreateUserOptions,
  FieldQuery,
  Identity,
  JsonArray,
  JsonObject,
  JsonPrimitive,
  JsonValue,
  Metadata,
  MetadataPatch,
  User,
  UserPatch,
  WriteOptions,
} from './types.js';
export { PATCHABLE_ATTRIBUTES, validatePatch } from './validatePatch.js';
export {
  MAX_SIGNUP_NAME_LENGTH,
  MAX_SIGNUP_PROPERTIES,
  MAX_SIGNUP_VALUE_LENGTH,
  type SignupMetadata,
  validateSignupMetadata,
} from './validateSignupMetadata.js';
