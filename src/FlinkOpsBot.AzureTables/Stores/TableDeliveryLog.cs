using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FlinkOpsBot.AzureTables.Rest;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.AzureTables.Stores;

/// <summary>
/// <see cref="IDeliveryLog"/> on the <c>{prefix}deliveries</c> table: PartitionKey = the key's platform (the text before
/// the first <c>:</c>, e.g. <c>slack</c>), RowKey = the rest, both through <see cref="TableKeys"/>; a RowKey that would
/// exceed 512 characters is <c>~sha256-</c> and the SHA-256 of the rest in hex instead (keys may hold 1 KiB). Columns:
/// <c>DeliveryKey</c> (as given), <c>ExpiresAt</c>, and the first reply (<c>ReplyText</c>, <c>ReplyVisibility</c>,
/// <c>ReplyRunId</c>, <c>ReplyAccepted</c>). Recording is an insert, which only one writer wins; an expired row is
/// replaced on its ETag, so of two writers racing for it one wins. Expired rows are not deleted (Table Storage has no
/// TTL); each is a few hundred bytes.
/// </summary>
internal sealed class TableDeliveryLog(ITableClient table, TimeProvider time) : IDeliveryLog
{
    private const int MaxRowKeyLength = 512;

    /// <summary>A Table string property holds at most 32,768 UTF-16 characters; a longer reply is cut, with a note.</summary>
    private const int MaxReplyChars = 30_000;

    private const string DeliveryKey = nameof(DeliveryKey);
    private const string ExpiresAt = nameof(ExpiresAt);
    private const string ReplyText = nameof(ReplyText);
    private const string VisibilityColumn = "ReplyVisibility";
    private const string ReplyRunId = nameof(ReplyRunId);
    private const string ReplyAccepted = nameof(ReplyAccepted);

    public async Task<bool> TryRecordAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var entity = NewEntity(key, expiresAt);
        while (true)
        {
            try
            {
                await table.AddEntityAsync(entity, cancellationToken);
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                // Seen before: live or expired, below.
            }

            var current = await table.GetEntityIfExistsAsync(entity.PartitionKey, entity.RowKey, cancellationToken);
            if (current is null) continue; // forgotten in between: insert again
            if (IsLive(current)) return false;
            try
            {
                await table.UpdateEntityAsync(entity, current.ETag!, cancellationToken);
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                return false; // another delivery took the expired row first
            }
        }
    }

    public async Task SaveReplyAsync(string key, CommandReply reply, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var entity = NewEntity(key, expiresAt);
        entity[ReplyText] = reply.Text.Length <= MaxReplyChars ? reply.Text : reply.Text[..MaxReplyChars] + "\n… (cut)";
        entity[VisibilityColumn] = reply.Visibility.ToString();
        if (reply.RunId is { } runId) entity[ReplyRunId] = runId.Value;
        entity[ReplyAccepted] = reply.Accepted;
        await table.UpsertEntityAsync(entity, cancellationToken);
    }

    public async Task<CommandReply?> GetReplyAsync(string key, CancellationToken cancellationToken)
    {
        var (partitionKey, rowKey) = Keys(key);
        var entity = await table.GetEntityIfExistsAsync(partitionKey, rowKey, cancellationToken);
        if (entity is null || !IsLive(entity) || entity.GetString(ReplyText) is not { } text) return null;
        var visibility = Enum.TryParse<ReplyVisibility>(entity.GetString(VisibilityColumn), out var v) ? v : ReplyVisibility.Ephemeral;
        RunId? runId = RunId.TryParse(entity.GetString(ReplyRunId), out var id) ? id : null;
        return new CommandReply(text, visibility, runId, entity[ReplyAccepted] as bool? ?? true);
    }

    public async Task ForgetAsync(string key, CancellationToken cancellationToken)
    {
        var (partitionKey, rowKey) = Keys(key);
        await table.DeleteEntityAsync(partitionKey, rowKey, "*", cancellationToken);
    }

    /// <summary>A row counts while its expiry is after now; a row without one is treated as expired.</summary>
    private bool IsLive(TableEntity entity) => entity.GetDateTimeOffset(ExpiresAt) is { } expiresAt && expiresAt > time.GetUtcNow();

    private static TableEntity NewEntity(string key, DateTimeOffset expiresAt)
    {
        var (partitionKey, rowKey) = Keys(key);
        return new TableEntity(partitionKey, rowKey)
        {
            [DeliveryKey] = key,
            [ExpiresAt] = expiresAt,
        };
    }

    internal static (string PartitionKey, string RowKey) Keys(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        var (platform, rest) = colon > 0 ? (key[..colon], key[(colon + 1)..]) : ("-", key);
        var rowKey = TableKeys.Encode(rest);
        if (rowKey.Length == 0) rowKey = "-";
        if (rowKey.Length > MaxRowKeyLength)
        {
            rowKey = "~sha256-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(rest))).ToLower(CultureInfo.InvariantCulture);
        }
        var partitionKey = TableKeys.Encode(platform);
        return (partitionKey.Length <= MaxRowKeyLength ? partitionKey : "-", rowKey);
    }
}
