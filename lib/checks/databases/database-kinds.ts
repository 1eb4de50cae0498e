import { drizzleKind } from '../drizzle/drizzle.kind.js';
import { mikroOrmKind } from '../mikro-orm/mikro-orm.kind.js';
import { prismaKind } from '../prisma/prisma.kind.js';
import { sequelizeKind } from '../sequelize/sequelize.kind.js';
import { typeormKind } from '../typeorm/typeorm.kind.js';
import type { DatabaseKind } from './database-kind.js';

/**
 * Every kind of database the `databases` check finds, one line each; a provider is taken by
 * the first kind that recognises it.
 */
export const DATABASE_KINDS: readonly DatabaseKind[] = [
  typeormKind,
  prismaKind,
  mikroOrmKind,
  sequelizeKind,
  drizzleKind,
];
