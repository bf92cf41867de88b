using ServerlessReco.Core.Catalog;

namespace ServerlessReco.Core.Storage;

/// <summary>
/// Where an incremental catalogue read got to, in the store's own order of writes (SQLite: a sequence number set on every
/// upsert; Cosmos DB: the server's <c>_ts</c> in seconds). Opaque to callers: only given back to the store that made it.
/// </summary>
public sealed record CatalogCursor(long Position);

/// <summary>
/// The items written after a cursor (each in its latest version) and the cursor to ask from next time.
/// <see cref="Complete"/> says the items are the whole catalogue (no cursor was given, or the store could not use the
/// one it got): the reader replaces what it holds instead of merging.
/// </summary>
public sealed record CatalogChanges(IReadOnlyList<CatalogItem> Items, CatalogCursor Cursor, bool Complete);
