import { mikroOrmKind } from '../mikro-orm/mikro-orm.kind.js';
import { sequelizeKind } from '../sequelize/sequelize.kind.js';
import { typeOrmKind } from '../typeorm/typeorm.kind.js';
import type { DatabaseKind } from './database-kind.js';

/** Every kind of database client `databases` finds by itself; the first that recognises a provider wins. */
export const DATABASE_KINDS: readonly DatabaseKind[] = [typeOrmKind, mikroOrmKind, sequelizeKind];
