using FlinkOpsBot.AzureTables.Rest;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.AzureTables.Stores;

/// <summary>
/// <see cref="IConversationStore"/> on the <c>{prefix}conversations</c> table: PartitionKey = run id, RowKey =
/// platform (through <see cref="TableKeys"/>), the card location's JSON beside <c>ConversationId</c> and
/// <c>MessageId</c>. Saving again replaces it.
/// </summary>
internal sealed class TableConversationStore(ITableClient table) : IConversationStore
{
    public async Task SaveAsync(CardLocation location, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(location.RunId.Value, TableKeys.Encode(location.Platform))
        {
            [nameof(CardLocation.ConversationId)] = location.ConversationId,
            [nameof(CardLocation.MessageId)] = location.MessageId,
        };
        JsonColumns.Write(entity, CoreJson.Serialize(location));
        await table.UpsertEntityAsync(entity, cancellationToken);
    }

    public async Task<CardLocation?> GetAsync(RunId runId, string platform, CancellationToken cancellationToken)
    {
        var entity = await table.GetEntityIfExistsAsync(runId.Value, TableKeys.Encode(platform), cancellationToken);
        return entity is null ? null : CoreJson.DeserializeCardLocation(JsonColumns.Read(entity));
    }
}
