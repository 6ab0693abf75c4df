/** Row types of the commands capability's tables. */

export interface CommandTables {}
