// The run table's schema, shared by the RunTable component and the local factory's dynalite table
// (the same key and TTL attribute in both). Key design (one table, one string key):
//   issue#<repository id>#<issue number>  the run lock (at most one run per issue)
//   ci#<repository id>#<head sha>          a CI wait registration (task token of WaitForCI)
//   run#<execution name>                   the run record (issue, outcome, pull request, times)
export const RUN_TABLE_KEY = "pk";
/** Epoch seconds; DynamoDB deletes expired items (typically within days: conditions check it too). */
export const RUN_TABLE_TTL_ATTRIBUTE = "expiresAt";
