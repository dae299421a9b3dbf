using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.AzureTables.Rest;

/// <summary>
/// The Table service operations the stores use, on one table. Names and semantics follow Azure.Data.Tables'
/// <c>TableClient</c>, so that library can replace <see cref="TableRestClient"/> once the package source carries it.
/// Writes replace whole entities (Azure.Data.Tables' <c>TableUpdateMode.Replace</c>). A conditional write that loses
/// throws <see cref="ConcurrencyConflictException"/>; any other failure throws <see cref="TableStorageException"/>.
/// </summary>
internal interface ITableClient
{
    /// <summary>The table's name, prefix included.</summary>
    string Name { get; }

    /// <summary>Creates the table; an existing table is fine.</summary>
    Task CreateIfNotExistsAsync(CancellationToken cancellationToken);

    /// <summary>The entity with its ETag, or null if there is none with those keys.</summary>
    Task<TableEntity?> GetEntityIfExistsAsync(string partitionKey, string rowKey, CancellationToken cancellationToken);

    /// <summary>Inserts the entity and returns its ETag.</summary>
    /// <exception cref="ConcurrencyConflictException">An entity with those keys exists.</exception>
    Task<string> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken);

    /// <summary>Replaces the entity if it is still at <paramref name="ifMatch"/> (<c>*</c>: any version) and returns the new ETag.</summary>
    /// <exception cref="ConcurrencyConflictException">The entity changed since it was read, or no longer exists.</exception>
    Task<string> UpdateEntityAsync(TableEntity entity, string ifMatch, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the entity, unconditionally.</summary>
    Task UpsertEntityAsync(TableEntity entity, CancellationToken cancellationToken);

    /// <summary>Deletes the entity if it is still at <paramref name="ifMatch"/> (<c>*</c>: any version); an entity that is already gone is fine.</summary>
    /// <exception cref="ConcurrencyConflictException">The entity changed since it was read.</exception>
    Task DeleteEntityAsync(string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken);

    /// <summary>
    /// The entities matching an OData <paramref name="filter"/> (build it with <see cref="TableFilter.Create"/>), in
    /// (PartitionKey, RowKey) order, fetched <paramref name="maxPerPage"/> at a time (null: the service's 1,000).
    /// Results carry no ETag.
    /// </summary>
    IAsyncEnumerable<TableEntity> QueryAsync(string filter, int? maxPerPage, CancellationToken cancellationToken);
}
