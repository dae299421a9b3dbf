using System.Collections.Concurrent;
using FlinkOpsBot.Core.Commands;

namespace FlinkOpsBot.Core.Storage;

/// <summary>
/// The deliveries the bot has seen, by delivery key (<see cref="ChatCommand.DeliveryKey"/>), each until it expires, so
/// that a platform's retry, a double click or a repeated invoke has exactly one effect, also across a restart or on a
/// second replica. Recording is a conditional insert: of two deliveries with one key, exactly one is first. An entry is
/// live while its expiry is after the store's clock (<see cref="TimeProvider"/>); an expired entry counts as absent and
/// may be overwritten.
/// </summary>
public interface IDeliveryLog
{
    /// <summary>
    /// Records <paramref name="key"/> until <paramref name="expiresAt"/> (UTC). Returns true when this is the first
    /// delivery with that key (no live entry existed), false when a live entry exists (a duplicate; nothing is changed).
    /// </summary>
    /// <param name="key">The delivery key; a non-empty string of any characters (stores escape or hash it).</param>
    /// <param name="expiresAt">When the entry stops counting.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<bool> TryRecordAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Remembers the reply given to the first delivery of <paramref name="key"/>, so a duplicate is answered the same
    /// way; keeps the entry live until <paramref name="expiresAt"/> (the expiry it was recorded with).
    /// </summary>
    Task SaveReplyAsync(string key, CommandReply reply, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>The reply remembered for a live entry of <paramref name="key"/>; null when there is none (yet), or the entry expired.</summary>
    Task<CommandReply?> GetReplyAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Removes <paramref name="key"/>'s entry, so the next delivery with it counts as the first: used when the first
    /// delivery failed before it had an effect. A missing entry is fine.
    /// </summary>
    Task ForgetAsync(string key, CancellationToken cancellationToken);
}

/// <summary>
/// An in-process <see cref="IDeliveryLog"/> for unit tests and local mode: forgets everything on restart. Expired entries
/// are swept once more than 10,000 are held.
/// </summary>
/// <param name="time">The clock that decides expiry.</param>
public sealed class InMemoryDeliveryLog(TimeProvider time) : IDeliveryLog
{
    private const int SweepAbove = 10_000;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<bool> TryRecordAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (_entries.Count > SweepAbove) Sweep();
        var entry = new Entry(expiresAt, null);
        while (true)
        {
            if (_entries.TryAdd(key, entry)) return Task.FromResult(true);
            if (!_entries.TryGetValue(key, out var current)) continue;
            if (current.ExpiresAt > time.GetUtcNow()) return Task.FromResult(false);
            if (_entries.TryUpdate(key, entry, current)) return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task SaveReplyAsync(string key, CommandReply reply, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        _entries[key] = new Entry(expiresAt, reply);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<CommandReply?> GetReplyAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > time.GetUtcNow() ? entry.Reply : null);

    /// <inheritdoc />
    public Task ForgetAsync(string key, CancellationToken cancellationToken)
    {
        _entries.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now) _entries.TryRemove(KeyValuePair.Create(key, entry));
        }
    }

    private sealed record Entry(DateTimeOffset ExpiresAt, CommandReply? Reply);
}
