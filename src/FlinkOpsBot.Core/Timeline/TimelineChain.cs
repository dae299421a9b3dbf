using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace FlinkOpsBot.Core.Timeline;

/// <summary>
/// The hash chain over a timeline: every entry carries the hash of the one before it, so changing, removing or
/// reordering stored history is detectable. An entry's hash is SHA-256 over its canonical form (<see cref="Canonical"/>:
/// every field, in a fixed order, evidence sorted by key, time in UTC to the tick) followed by the previous hash; the
/// first entry's previous hash is <see cref="Genesis"/>. The subject (run or incident) keeps the last hash as its
/// head, written in the same conditional write as the entries, so a removed tail is detected too.
/// </summary>
public static class TimelineChain
{
    /// <summary>The previous hash of a timeline's first chained entry: 64 zeros.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>The canonical form of an entry (UTF-8 JSON, version 1) that its hash covers, without the hashes themselves.</summary>
    public static byte[] Canonical(TimelineEntry entry, string previousHash)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", 1);
            json.WriteString("subject", entry.Subject);
            json.WriteNumber("sequence", entry.Sequence);
            json.WriteString("at", entry.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteStartObject("actor");
            json.WriteString("platform", entry.Actor.Platform);
            json.WriteString("tenant", entry.Actor.Tenant);
            json.WriteString("id", entry.Actor.Id);
            json.WriteString("displayName", entry.Actor.DisplayName);
            if (entry.Actor.Upn is { } upn) json.WriteString("upn", upn);
            json.WriteEndObject();
            json.WriteString("kind", entry.Kind.ToString());
            json.WriteString("text", entry.Text);
            json.WriteStartObject("evidence");
            foreach (var (key, value) in entry.Evidence.OrderBy(kv => kv.Key, StringComparer.Ordinal)) json.WriteString(key, value);
            json.WriteEndObject();
            json.WriteString("previousHash", previousHash);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The hash of <paramref name="entry"/> chained to <paramref name="previousHash"/>: SHA-256 of <see cref="Canonical"/>, 64 lowercase hex digits.</summary>
    public static string ComputeHash(TimelineEntry entry, string previousHash) =>
        Convert.ToHexStringLower(SHA256.HashData(Canonical(entry, previousHash)));

    /// <summary>The event with <see cref="TimelineEvent.PreviousHash"/> and <see cref="TimelineEvent.Hash"/> set.</summary>
    public static TimelineEvent Seal(TimelineEvent e, string previousHash) =>
        e with { PreviousHash = previousHash, Hash = ComputeHash(TimelineEntry.From(e), previousHash) };

    /// <summary>The entry with <see cref="TimelineEntry.PreviousHash"/> and <see cref="TimelineEntry.Hash"/> set.</summary>
    public static TimelineEntry Seal(TimelineEntry entry, string previousHash) =>
        entry with { PreviousHash = previousHash, Hash = ComputeHash(entry, previousHash) };

    /// <summary>
    /// Recomputes one subject's chain. <paramref name="entries"/> are its entries in sequence order, as stored;
    /// <paramref name="head"/> is the hash the subject recorded last (null for a subject written before chaining).
    /// Entries without hashes are allowed only before the first chained one (history older than the chain): they are
    /// counted as unchained. The first problem found is reported: a changed entry (its hash does not match its
    /// content), a removed or reordered one (its previous hash or sequence does not follow on), an unchained entry
    /// after chained ones, or a last entry that is not the recorded head (the tail was removed).
    /// </summary>
    public static ChainReport Verify(string subject, IReadOnlyList<TimelineEntry> entries, string? head)
    {
        var unchained = 0;
        string? previous = null;
        int? previousSequence = null;
        foreach (var entry in entries)
        {
            if (entry.Hash is null || entry.PreviousHash is null)
            {
                if (previous is not null) return Broken(entry, "has no hash, but entries before it are chained (its hash was removed)");
                unchained++;
                previousSequence = entry.Sequence;
                continue;
            }
            if (previousSequence is { } p && entry.Sequence != p + 1) return Broken(entry, $"follows entry {p}: entries in between are missing");
            var expectedPrevious = previous ?? TimelineChain.Genesis;
            if (entry.PreviousHash != expectedPrevious) return Broken(entry, "does not carry the previous entry's hash (an entry before it was removed, reordered or changed)");
            if (ComputeHash(entry, entry.PreviousHash) != entry.Hash) return Broken(entry, "was modified after it was written (its content does not match its hash)");
            previous = entry.Hash;
            previousSequence = entry.Sequence;
        }
        if (head is not null && previous != head)
        {
            return new ChainReport(subject, entries.Count, unchained, false, entries.Count == 0 ? null : entries[^1].Sequence,
                "the last entry is not the one the timeline recorded last (entries at the end were removed)");
        }
        return new ChainReport(subject, entries.Count, unchained, true, null, null);

        ChainReport Broken(TimelineEntry entry, string why) => new(subject, entries.Count, unchained, false, entry.Sequence, $"entry {entry.Sequence} {why}");
    }
}

/// <summary>What <see cref="TimelineChain.Verify"/> found for one subject's timeline.</summary>
/// <param name="Subject">The run or incident id.</param>
/// <param name="Entries">How many entries were checked.</param>
/// <param name="Unchained">How many leading entries predate the chain (no hashes).</param>
/// <param name="Intact">True when every chained entry matches its hash and follows on from the one before.</param>
/// <param name="FirstBrokenSequence">The sequence number of the first broken entry, or null when intact.</param>
/// <param name="Problem">What is wrong with it, in plain words, or null when intact.</param>
public sealed record ChainReport(string Subject, int Entries, int Unchained, bool Intact, int? FirstBrokenSequence, string? Problem)
{
    /// <summary>One line for chat, e.g. <c>R-7Q2K: 12 entries, chain intact</c>.</summary>
    public string Summary => Intact
        ? $"{Subject}: {Entries} entries, chain intact" + (Unchained == 0 ? "" : Unchained == Entries ? " (all unchained: written before timelines were hash-chained)" : $" ({Unchained} older unchained entries before it)")
        : $"{Subject}: chain BROKEN at {Problem}";
}
