/** The outcome of the latest job for a user, shown in the users table's "Last action" column. */
export interface LastAction {
  outcome: string;
  at: string;
}
