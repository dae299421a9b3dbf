using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Tests.Timeline;

/// <summary>The hash chain over a run's timeline: written by <see cref="RunChange.Record"/>, checked by <see cref="TimelineChain.Verify"/>.</summary>
public class TimelineChainTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Ana = new("slack", "T1", "U1", "ana");

    [Fact]
    public void Record_ChainsEachEventToThePreviousAndMovesTheHead()
    {
        var (run, events) = RecordedRun(4);

        Assert.Equal(TimelineChain.Genesis, events[0].PreviousHash);
        for (var i = 1; i < events.Count; i++) Assert.Equal(events[i - 1].Hash, events[i].PreviousHash);
        Assert.All(events, e => Assert.Matches("^[0-9a-f]{64}$", e.Hash!));
        Assert.Equal(events[^1].Hash, run.TimelineHead);
        Assert.True(Verify(run, events).Intact);
    }

    public static readonly TheoryData<string, Func<TimelineEvent, TimelineEvent>> Tampering = new()
    {
        { "text", e => e with { Text = "approved by someone else" } },
        { "actor id", e => e with { Actor = e.Actor with { Id = "U9" } } },
        { "actor display name", e => e with { Actor = e.Actor with { DisplayName = "mallory" } } },
        { "time", e => e with { At = e.At.AddTicks(1) } },
        { "kind", e => e with { Kind = TimelineEventKind.Refusal } },
        { "evidence value", e => e with { Evidence = new Dictionary<string, string> { ["savepointPath"] = "s3://elsewhere/sp-1" } } },
        { "evidence added", e => e with { Evidence = new Dictionary<string, string>(e.Evidence) { ["extra"] = "x" } } },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public void Verify_ModifiedEntry_ReportsItAsTheFirstBroken(string field, Func<TimelineEvent, TimelineEvent> tamper)
    {
        var (run, events) = RecordedRun(5);
        var stored = events.ToList();
        stored[2] = tamper(stored[2]);

        var report = Verify(run, stored);

        Assert.False(report.Intact, field);
        Assert.Equal(2, report.FirstBrokenSequence);
        Assert.Contains("modified", report.Problem!, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_EntryRewrittenWithAFreshHash_BreaksTheNextLink()
    {
        var (run, events) = RecordedRun(5);
        var stored = events.ToList();
        // An attacker who knows the scheme recomputes the changed entry's own hash; the next entry still names the old one.
        stored[1] = TimelineChain.Seal(stored[1] with { Text = "rewritten" }, stored[1].PreviousHash!);

        var report = Verify(run, stored);

        Assert.Equal(2, report.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_EntryRemovedFromTheMiddle_IsDetected()
    {
        var (run, events) = RecordedRun(5);

        var report = Verify(run, events.Where(e => e.Sequence != 2).ToList());

        Assert.False(report.Intact);
        Assert.Equal(3, report.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_LastEntryRemoved_IsDetectedAgainstTheRecordedHead()
    {
        var (run, events) = RecordedRun(5);

        var report = Verify(run, events.Take(4).ToList());

        Assert.False(report.Intact);
        Assert.Contains("removed", report.Problem!, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_HashStrippedFromAChainedEntry_IsBroken()
    {
        var (run, events) = RecordedRun(4);
        var stored = events.ToList();
        stored[3] = stored[3] with { Hash = null, PreviousHash = null };

        Assert.Equal(3, Verify(run, stored).FirstBrokenSequence);
    }

    [Fact]
    public void Verify_OlderRunWithoutHashes_IsReportedUnchainedNotBroken()
    {
        var run = NewRun();
        var events = Enumerable.Range(0, 3).Select(i => new TimelineEvent(run.Id, i, T0.AddSeconds(i), Ana, TimelineEventKind.Note, $"old {i}", new Dictionary<string, string>())).ToList();
        run.TimelineSequence = 3;

        var report = Verify(run, events);

        Assert.True(report.Intact);
        Assert.Equal(3, report.Unchained);
        Assert.Contains("unchained", report.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_OnAnOlderRun_StartsTheChainAfterTheUnchainedEntries()
    {
        var run = NewRun();
        var old = Enumerable.Range(0, 2).Select(i => new TimelineEvent(run.Id, i, T0.AddSeconds(i), Ana, TimelineEventKind.Note, $"old {i}", new Dictionary<string, string>())).ToList();
        run.TimelineSequence = 2;
        var change = new RunChange(run, "etag", T0.AddMinutes(1));
        change.Record(Ana, TimelineEventKind.Note, "new");
        change.Record(Actor.System, TimelineEventKind.Transition, "newer");

        var report = Verify(run, [.. old, .. change.Events]);

        Assert.True(report.Intact, report.Problem);
        Assert.Equal(2, report.Unchained);
    }

    [Fact]
    public void StoredJson_WithHashes_RoundTripsAndStillVerifies()
    {
        var (run, events) = RecordedRun(3);

        var reread = events.Select(e => CoreJson.DeserializeTimelineEvent(CoreJson.Serialize(e))).ToList();

        Assert.True(Verify(CoreJson.DeserializeRun(CoreJson.Serialize(run)), reread).Intact);
    }

    private static ChainReport Verify(Run run, IReadOnlyList<TimelineEvent> events) =>
        TimelineChain.Verify(run.Id.Value, events.Select(TimelineEntry.From).ToList(), run.TimelineHead);

    private static (Run Run, List<TimelineEvent> Events) RecordedRun(int count)
    {
        var run = NewRun();
        var events = new List<TimelineEvent>();
        for (var i = 0; i < count; i++)
        {
            // One change per event, as the engine commits them: the head carries over through the run.
            var change = new RunChange(run, "etag", T0.AddSeconds(i));
            change.Record(i % 2 == 0 ? Ana : Actor.System, TimelineEventKind.Step, $"step {i} done",
                new Dictionary<string, string> { ["savepointPath"] = "s3://savepoints/sp-1", ["jobId"] = "a1b2c3" });
            events.AddRange(change.Events);
        }
        return (run, events);
    }

    private static Run NewRun() => new()
    {
        Id = RunId.New(),
        RecipeId = "upgrade",
        Cluster = "demo",
        JobName = "orders-enricher",
        Inputs = [],
        Requester = Ana,
        Origin = new ChannelRef("slack", "T1", "C1"),
        CreatedAt = T0,
    };
}
