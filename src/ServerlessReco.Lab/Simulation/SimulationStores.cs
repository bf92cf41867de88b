using ServerlessReco.Core.Storage;
namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// The stores one simulated run writes to, fresh and empty: any implementation of the storage contracts. The core
/// references no database, so the host supplies them (the CLI and its tests: SQLite and a folder in a temporary
/// directory, the embedded store a shop runs on without Azure).
/// </summary>
/// <param name="Changes">The event store's change feed (what retraining reads).</param>
public sealed record SimulationStores(IEventStore Events, IEventChangeFeed Changes, IServedListStore ServedLists, IItemStore Items, IModelBlobStore Models);
