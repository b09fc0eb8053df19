// Why the search parser is this project's own: the candidate libraries against Auth0's query syntax.
// For each: how many of the corpus below it accepts or refuses as Auth0 does, whether it keeps
// NOT > AND > OR, what 100,000 nested parentheses and a 50,000-clause query do to it, and the time
// of a 10-clause parse. `node bench/search-parsers.mjs` (after `npm run build`).
import { parseSearchQuery } from 'auth0-metadata';
import { createToken, EmbeddedActionsParser, Lexer } from 'chevrotain';
import { parse as liqeParse } from 'liqe';
import lucene from 'lucene';

/** [what, q, whether Auth0 accepts it] (the search specification's rules S12–S19, S28). */
const CORPUS = [
  ['unquoted email', 'email:testaccdatasourceuser@acceptance.test.com', true],
  ['| in user_id', 'user_id:auth0|123', true],
  ['escaped space', 'name:John\\ Doe', true],
  ['field group', 'email:("a@x.com" OR "b@x.com")', true],
  ['mixed brackets', 'logins_count:[100 TO 200}', true],
  ['open end', 'logins_count:{100 TO *]', true],
  ['year bound', 'created_at:[2020 TO *]', true],
  ['date bounds', 'last_login:[2025-12-01 TO 2025-12-31]', true],
  ['NOT … OR …', 'NOT _exists_:email_verified OR email_verified:false', true],
  ['inner wildcard', 'name:jane*smith', true],
  ['odd phrases', 'email:" or ""="', true],
  ['non-ASCII', 'email:面条@玉米片.com', true],
  ['&& ||', 'a && b || c', true],
  ['! prefix', '!a', true],
  ['- prefix', 'a -b', true],
  ['lower-case and', 'a and b', true],
  ['suffix wildcard', 'name:*abc', true],
  ['dotted path', 'app_metadata.subscription.plan:"gold"', true],
  ['identities', 'identities.connection:"google-oauth2"', true],
  ['inner -', 'app_metadata.region:eu-west-1', true],
  ['escaped :', 'app_metadata.a:x\\:y', true],
  ['dangling AND', 'a AND', false],
  ['leading AND', 'AND a', false],
  ['OR OR', 'a OR OR b', false],
  ['field without value', 'name:', false],
  ['trailing \\', 'a\\', false],
  ['unbalanced quote', 'name:"jane', false],
  ['unbalanced parenthesis', '(a OR b', false],
  ['range without TO', 'logins_count:[1 2]', false],
  ['range not closed', 'logins_count:[1 TO 2', false],
];

/**
 * A minimal Chevrotain grammar (terms, phrases, fields, groups, AND/OR/NOT): Chevrotain is a toolkit,
 * so the grammar is written by hand either way. It has no ranges, hence its misses on them; it
 * measures the toolkit's speed and depth, not a finished parser.
 */
function chevrotainParser() {
  const tokens = [
    createToken({ name: 'WS', pattern: /\s+/, group: Lexer.SKIPPED }),
    createToken({ name: 'Phrase', pattern: /"(?:[^"\\]|\\.)*"/ }),
    createToken({ name: 'And', pattern: /AND|&&/ }),
    createToken({ name: 'Or', pattern: /OR|\|\|/ }),
    createToken({ name: 'Not', pattern: /NOT|!/ }),
    createToken({ name: 'LParen', pattern: /\(/ }),
    createToken({ name: 'RParen', pattern: /\)/ }),
    createToken({ name: 'Colon', pattern: /:/ }),
    createToken({ name: 'Term', pattern: /(?:[^\s:()"\\[\]{}]|\\.)+/ }),
  ];
  const [, Phrase, And, Or, Not, LParen, RParen, Colon, Term] = tokens;
  const lexer = new Lexer(tokens, { positionTracking: 'onlyOffset' });
  class Grammar extends EmbeddedActionsParser {
    constructor() {
      super(tokens, { recoveryEnabled: false, maxLookahead: 2 });
      this.orExpr = this.RULE('orExpr', () => {
        let left = this.SUBRULE(this.andExpr);
        this.MANY(() => {
          this.OPTION(() => this.CONSUME(Or));
          left = { or: [left, this.SUBRULE2(this.andExpr)] };
        });
        return left;
      });
      this.andExpr = this.RULE('andExpr', () => {
        let left = this.SUBRULE(this.notExpr);
        this.MANY(() => {
          this.CONSUME(And);
          left = { and: [left, this.SUBRULE2(this.notExpr)] };
        });
        return left;
      });
      this.notExpr = this.RULE('notExpr', () =>
        this.OR([
          {
            ALT: () => {
              this.CONSUME(Not);
              return { not: this.SUBRULE(this.notExpr) };
            },
          },
          { ALT: () => this.SUBRULE(this.clause) },
        ]),
      );
      this.clause = this.RULE('clause', () =>
        this.OR([
          {
            ALT: () => {
              this.CONSUME(LParen);
              const inner = this.SUBRULE(this.orExpr);
              this.CONSUME(RParen);
              return inner;
            },
          },
          {
            ALT: () => {
              const field = this.CONSUME(Term).image;
              let value;
              this.OPTION(() => {
                this.CONSUME(Colon);
                value = this.OR2([{ ALT: () => this.CONSUME2(Term).image }, { ALT: () => this.CONSUME(Phrase).image }]);
              });
              return value === undefined ? { term: field } : { field, term: value };
            },
          },
          { ALT: () => ({ phrase: this.CONSUME2(Phrase).image }) },
        ]),
      );
      this.performSelfAnalysis();
    }
  }
  const grammar = new Grammar();
  return (q) => {
    const lexed = lexer.tokenize(q);
    if (lexed.errors.length > 0) throw new Error('lexing error');
    grammar.input = lexed.tokens;
    const tree = grammar.orExpr();
    if (grammar.errors.length > 0) throw new Error(grammar.errors[0].message);
    return tree;
  };
}

const ours = (q) => {
  const result = parseSearchQuery(q);
  if (!result.success) throw new Error(result.issues[0].message);
  return result.value;
};

const candidates = [
  ['lucene 2.1.1', lucene.parse],
  ['liqe 3.8.7', liqeParse],
  ['chevrotain 11.2.0 (minimal grammar)', chevrotainParser()],
  ['auth0-metadata parseSearchQuery', ours],
];

function outcome(parse, q) {
  try {
    parse(q);
    return 'ok';
  } catch (error) {
    return error instanceof RangeError ? 'stack overflow' : 'refused';
  }
}

const tenClauses = Array.from({ length: 10 }, (_, index) => `app_metadata.k${index}:"v${index}"`).join(' AND ');
const nested = (depth) => `${'('.repeat(depth)}a${')'.repeat(depth)}`;
const wide = Array.from({ length: 50_000 }, (_, index) => `f${index}:v`).join(' OR ');

for (const [name, parse] of candidates) {
  const wrong = CORPUS.filter(([, q, accepted]) => (outcome(parse, q) === 'ok') !== accepted).map(([what]) => what);
  for (let round = 0; round < 2000; round++) parse(tenClauses);
  const runs = 20_000;
  const start = performance.now();
  for (let round = 0; round < runs; round++) parse(tenClauses);
  const microseconds = ((performance.now() - start) * 1000) / runs;
  console.log(`\n${name}`);
  console.log(
    `  as Auth0: ${CORPUS.length - wrong.length}/${CORPUS.length}${wrong.length ? `; wrong on: ${wrong.join(', ')}` : ''}`,
  );
  console.log(
    `  parentheses 100 deep: ${outcome(parse, nested(100))}, 1,000 deep: ${outcome(parse, nested(1000))}, 100,000 deep: ${outcome(parse, nested(100_000))}; 50,000 clauses: ${outcome(parse, wide)}`,
  );
  console.log(`  10-clause parse: ${microseconds.toFixed(1)} µs`);
}
console.log(
  `\nlucene 2.1.1, 'a AND b OR c': ${JSON.stringify(lucene.parse('a AND b OR c'), (key, value) => (key.endsWith('Location') || value === null ? undefined : value))}`,
);
