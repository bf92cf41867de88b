#!/usr/bin/env node
// Starts @vercel/cosmosdb-server for the tests, with the fixes the tests rely on applied at start:
//   1. reading a missing item answers 500 (the handler dereferences the missing document): now 404;
//   2. the partition-key header is ignored by queries, so rows of other partitions leak into
//      single-partition queries: a query that names a partition now sees only that partition;
//   3. time-to-live is not enforced: the container's defaultTtl and each item's `ttl` (-1 = never)
//      now expire items, exactly as Cosmos DB hides expired items from reads and queries;
//   4. replacing a container (e.g. to change its defaultTtl) built a new, empty container object and so
//      silently dropped every item in it: the items are now kept;
//   5. the change feed was a stub (an `A-IM: Incremental feed` read returned every document with etag 1, and any
//      read with If-None-Match got 304 forever): every write is now stamped with a per-container sequence number
//      (`_lsn`), and a change-feed read answers the latest version of each document written after the position in
//      its If-None-Match (none: from the beginning; `*`: from now), oldest write first, up to x-ms-max-item-count,
//      with the last one's `_lsn` as the etag; 304 with the same etag when nothing is newer.
// It also answers on keep-alive connections (the stock server closes each one) and, with --no-ssl,
// advertises http:// endpoints in the account metadata so that the SDK stays on the scheme it was given.
//
// Usage: node cosmos-server.js [--host 127.0.0.1] [--port 0] [--no-ssl]   (COSMOS_SERVER_LOG=1 logs each request)
// Prints "cosmosdb-server listening on <url>" once it accepts connections. Test use only: the TLS
// mode serves the package's expired self-signed certificate.
"use strict";

const path = require("path");

const lib = path.dirname(require.resolve("@vercel/cosmosdb-server"));
const load = relative => require(path.join(lib, relative));

const getValue = load("utils/get-value").default;
const partitionHeader = load("utils/get-partition-from-header");
const Documents = load("account/documents").default;
const Collections = load("account/collections").default;
const ResourceId = load("account/resource-id").default;

// Resource ids as Cosmos DB writes them: base64 with "-" for "/". The package writes plain base64, so once enough
// databases exist some collection's id holds a "/" (gAA/AIAAAAE=), the SDK's path for its partition-key ranges or
// change feed splits there, the server answers 404, and the SDK reports a stale cache: whichever test owned that
// collection failed, depending on how many databases came before it.
ResourceId.toBase64String = buffer => buffer.toString("base64").replace(/\//g, "-");
ResourceId.fromBase64String = s => Buffer.from(s.replace(/-/g, "/"), "base64");

function parseArgs(argv) {
  const args = { host: "127.0.0.1", port: 0, ssl: true };
  for (let i = 0; i < argv.length; i += 1) {
    switch (argv[i]) {
      case "--host":
        args.host = argv[(i += 1)];
        break;
      case "-p":
      case "--port":
        args.port = Number.parseInt(argv[(i += 1)], 10);
        break;
      case "--no-ssl":
        args.ssl = false;
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  return args;
}

// ---------------------------------------------------------------------------------------------
// Fix 3: time-to-live. Expired items are removed lazily, before any operation touches the items of a
// container; a container remembers its earliest expiry so that the sweep costs nothing until then.

const nowSeconds = () => Date.now() / 1000;

function effectiveTtl(doc, containerTtl) {
  if (containerTtl === undefined || containerTtl === null) {
    return null; // TTL off for the container: item ttl is ignored, as in Cosmos DB
  }
  const own = typeof doc.ttl === "number" ? doc.ttl : containerTtl;
  return own === -1 || own <= 0 ? null : own;
}

function expiryOf(documents, doc) {
  const container = documents._parent.read();
  if (!container || !doc || typeof doc._ts !== "number") {
    return Infinity;
  }
  const ttl = effectiveTtl(doc, container.defaultTtl);
  return ttl === null ? Infinity : doc._ts + ttl;
}

Documents.prototype._sweepExpired = function sweepExpired() {
  const now = nowSeconds();
  if (this._nextExpiry !== undefined && now < this._nextExpiry) {
    return;
  }
  let next = Infinity;
  for (const [rid, item] of [...this._data.entries()]) {
    const doc = item.read();
    const expiry = expiryOf(this, doc);
    if (now >= expiry) {
      const partition = this._getPartition(doc);
      for (const keyPath of this._uniqueKeyPaths) {
        const value = getValue(keyPath.slice(1).split("/"), doc);
        this._index.delete(this._getId(keyPath, value, partition));
      }
      this._data.delete(rid);
    } else if (expiry < next) {
      next = expiry;
    }
  }
  this._nextExpiry = next;
};

const baseSet = Documents.prototype._set;
Documents.prototype._set = function set(data) {
  const stored = baseSet.call(this, data);
  const expiry = expiryOf(this, stored);
  if (this._nextExpiry === undefined || expiry < this._nextExpiry) {
    this._nextExpiry = expiry;
  }
  return stored;
};

const baseItem = Documents.prototype._item;
Documents.prototype._item = function item(keyPath, keyPathValue, partition) {
  this._sweepExpired();
  return baseItem.call(this, keyPath, keyPathValue, partition);
};

const baseRead = Documents.prototype.read;
Documents.prototype.read = function read(options) {
  this._sweepExpired();
  return baseRead.call(this, options);
};

// ---------------------------------------------------------------------------------------------
// Fix 2: queries honour the partition-key header. The stock query runs over every item of the
// container; this one runs over the items of the named partition when the request names one.

Documents.prototype.query = function query(params, { maxItemCount, continuation }, partitionValues) {
  const container = this._parent.read();
  if (!container) {
    return null;
  }
  this._sweepExpired();
  let docs = [...this._data.values()].map(entry => entry.read());
  if (partitionValues) {
    const keyPath = this._getPartitionKeyPath();
    docs = docs.filter(doc => getValue(keyPath, doc) === partitionValues[0]);
  }
  const compositeIndexes = (container.indexingPolicy && container.indexingPolicy.compositeIndexes) || [];
  try {
    return this._getQuery(params.query).exec(docs, {
      parameters: params.parameters,
      udf: this._userDefinedFunctions(),
      maxItemCount,
      continuation,
      compositeIndexes,
    });
  } catch (err) {
    err.badRequest = true;
    throw err;
  }
};

/** The partition a request names, as an array of key values, or null when it names none. */
function requestPartition(req) {
  const raw = partitionHeader.default(req);
  if (!raw) {
    return null;
  }
  try {
    const parsed = JSON.parse(raw);
    const values = Array.isArray(parsed) ? parsed : [parsed];
    if (values.length === 0 || values.some(v => v !== null && typeof v === "object")) {
      return null; // "[{}]" is what a client sends for "no partition key"
    }
    return values;
  } catch (err) {
    return null;
  }
}

const queryDocuments = load("handler/query-documents");
const readItems = load("handler/_read-items").default;
const readJson = load("json").default;
const trueHeader = load("true-header").default;
const cosmosQuery = require(require.resolve("@zeit/cosmosdb-query", { paths: [lib] })).default;

queryDocuments.default = async (account, req, res, { dbId, collId }) =>
  readItems(req, res, "Documents", async ({ continuation, maxItemCount }) => {
    const body = await readJson(req);
    if (!body.query) {
      res.statusCode = 400;
      return { message: "missing query" };
    }
    const collection = account.database(dbId).collection(collId);
    const partition = requestPartition(req);
    if (!partition && !trueHeader(req, "x-ms-documentdb-query-enablecrosspartition")) {
      const paths = ((collection.read() || {}).partitionKey || {}).paths || [];
      if (paths.length && !cosmosQuery(body.query).containsPartitionKeys(paths)) {
        res.statusCode = 400;
        return { message: "missing partition keys" };
      }
    }
    try {
      return collection.documents.query(body, { continuation, maxItemCount }, partition);
    } catch (err) {
      if (err.badRequest) {
        res.statusCode = 400;
        return { code: "BadRequest", message: err.message };
      }
      throw err;
    }
  });

// ---------------------------------------------------------------------------------------------
// Fix 1: a read of a missing item is a 404 (the stock handler throws on the missing document).
// Deletes go through the same lookup: keep them on a 404 whatever the stock operation does.

function missingDocument(account, req, { dbId, collId, docId }) {
  const collection = account.database(dbId).collection(collId);
  if (!collection.read()) {
    return false; // the stock handler answers a missing container itself
  }
  const partition = requestPartition(req);
  const key = partition ? partition[0] : docId;
  return !collection.document(docId, key).read();
}

const notFound = res => {
  res.statusCode = 404;
  return { code: "NotFound", message: "Entity with the specified id does not exist in the system." };
};

for (const handlerName of ["handler/read-document", "handler/delete-document"]) {
  const handler = load(handlerName);
  const stock = handler.default;
  handler.default = (account, req, res, params) =>
    missingDocument(account, req, params) ? notFound(res) : stock(account, req, res, params);
}

// ---------------------------------------------------------------------------------------------
// Fix 4: replacing a container keeps its items.

const baseReplace = Collections.prototype.replace;
Collections.prototype.replace = function replace(data, original) {
  const partition = this._getPartition(original);
  const before = this._item("/id", original.id, partition);
  const result = baseReplace.call(this, data, original);
  const after = this._item("/id", result.id, this._getPartition(result));
  if (before !== after && before.documents) {
    after.documents = before.documents;
    after.documents._parent = after;
    after.userDefinedFunctions = before.userDefinedFunctions;
    after.userDefinedFunctions._parent = after;
    after.documents._nextExpiry = undefined; // the container's defaultTtl may have changed
  }
  return result;
};

// ---------------------------------------------------------------------------------------------
// Fix 5: the change feed (latest-version mode, as the .NET SDK's pull model reads it through the gateway).
// Each container's documents object counts its writes; a document carries the count of its latest write as
// `_lsn`. A replace or upsert stamps it again, so it moves to the end of the feed; a delete or an expiry removes
// it, so the feed no longer reports it (as in Cosmos DB, whose latest-version feed reports neither).

const stampedSet = Documents.prototype._set;
Documents.prototype._set = function set(data) {
  this._lsnCounter = (this._lsnCounter || 0) + 1;
  data._lsn = this._lsnCounter; // eslint-disable-line no-param-reassign
  return stampedSet.call(this, data);
};

/** The position a change-feed request starts after: its If-None-Match etag, "*" for now, none for the beginning. */
function feedStart(req, documents) {
  const raw = req.headers["if-none-match"];
  if (!raw) {
    return 0;
  }
  const value = String(raw).replace(/^W\//, "").replace(/"/g, "");
  if (value === "*") {
    return documents._lsnCounter || 0;
  }
  const lsn = Number.parseInt(value, 10);
  return Number.isFinite(lsn) ? lsn : 0;
}

function readChangeFeed(account, req, res, { dbId, collId }) {
  const collection = account.database(dbId).collection(collId);
  if (!collection.read()) {
    res.statusCode = 404;
    return { code: "NotFound", message: "Resource Not Found" };
  }
  const documents = collection.documents;
  documents._sweepExpired();
  const since = feedStart(req, documents);
  const partition = requestPartition(req);
  const keyPath = documents._getPartitionKeyPath();
  const maxItemCount = Number.parseInt(req.headers["x-ms-max-item-count"] || "", 10);
  const limit = Number.isFinite(maxItemCount) && maxItemCount > 0 ? maxItemCount : 100;
  const changed = [...documents._data.values()]
    .map(entry => entry.read())
    .filter(doc => doc && doc._lsn > since && (!partition || getValue(keyPath, doc) === partition[0]))
    .sort((a, b) => a._lsn - b._lsn)
    .slice(0, limit);
  // The stock handler would answer 304 to any If-None-Match and stamp etag 1 (see lib/index.js): this answer is
  // complete, so the header that triggers that is removed before the response is finished.
  delete req.headers["a-im"]; // eslint-disable-line no-param-reassign
  const etag = changed.length ? changed[changed.length - 1]._lsn : since;
  res.setHeader("etag", `"${etag}"`);
  res.setHeader("x-ms-item-count", String(changed.length));
  if (!changed.length) {
    res.statusCode = 304;
    return {};
  }
  return { _rid: collection.read()._rid, Documents: changed, _count: changed.length };
}

const readDocuments = load("handler/read-documents");
const stockReadDocuments = readDocuments.default;
readDocuments.default = (account, req, res, params) =>
  req.headers["a-im"] ? readChangeFeed(account, req, res, params) : stockReadDocuments(account, req, res, params);

// ---------------------------------------------------------------------------------------------

function start() {
  const args = parseArgs(process.argv.slice(2));
  if (!args.ssl) {
    // The account metadata names https:// endpoints; a client that follows them would leave http.
    const accountModule = load("account");
    const StockAccount = accountModule.default;
    accountModule.default = class HttpAccount extends StockAccount {
      constructor(host, port) {
        super(host, port);
        const data = this.read();
        for (const location of [...data.writableLocations, ...data.readableLocations]) {
          location.databaseAccountEndpoint = `http://${host}:${port}/`;
        }
      }
    };
  }

  const { createHttpServer, createHttpsServer } = require(lib);
  const create = args.ssl ? createHttpsServer : createHttpServer;
  const server = create({ keepAlive: true });
  if (process.env.COSMOS_SERVER_LOG === "1") {
    server.prependListener("request", (req, res) => {
      res.on("finish", () => console.log(`${req.method} ${req.url} -> ${res.statusCode}`)); // eslint-disable-line no-console
    });
  }
  server.keepAliveTimeout = 30000;
  server.listen(args.port, args.host, () => {
    const { port } = server.address();
    const scheme = args.ssl ? "https" : "http";
    // eslint-disable-next-line no-console
    console.log(`cosmosdb-server listening on ${scheme}://${args.host}:${port}/`);
  });

  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

start();
