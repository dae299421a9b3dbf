using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Incidents;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Tests.Timeline;

/// <summary>The post-mortem exports: JSON parses back to the same entries; Markdown lists them in order with UTC times and verified actors.</summary>
public class TimelineDocumentTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Ana = new("slack", "T1", "U1", "ana");
    private static readonly Actor Bo = new("teams", "72f988bf-86f1-41af-91ab-2d7cd011db47", "29f1f4d1-6e2b-4f0a-9c5a-7d0d6b2b1e3a", "Bo Ström") { Upn = "bo@contoso.com" };

    [Fact]
    public void ToJson_ParsesBackToTheSameEntries()
    {
        var document = Document();

        var parsed = TimelineDocument.FromJson(document.ToJson());

        Assert.Equal(document.Subject, parsed.Subject);
        Assert.Equal(document.Title, parsed.Title);
        Assert.Equal(document.Facts, parsed.Facts);
        Assert.Equal(document.Entries.Select(CoreJson.Serialize), parsed.Entries.Select(CoreJson.Serialize));
        Assert.Equal(document.Entries.Select(e => e.At), parsed.Entries.Select(e => e.At));
        // The chain survives the round trip: an exported timeline can be verified on its own.
        Assert.True(TimelineChain.Verify("INC-4F2K", parsed.Entries.Where(e => e.Subject == "INC-4F2K").ToList(), document.Entries.Last(e => e.Subject == "INC-4F2K").Hash).Intact);
    }

    [Fact]
    public void ToMarkdown_ListsEveryEntryInOrderWithUtcTimeAndVerifiedActor()
    {
        var document = Document();

        var lines = document.ToMarkdown().Split('\n');

        Assert.Equal("# Timeline of INC-4F2K: orders lag after deploy", lines[0]);
        var entries = lines.Where(l => l.Length > 2 && char.IsAsciiDigit(l[0])).ToList();
        Assert.Equal(document.Entries.Count, entries.Count);
        Assert.StartsWith("1. `2026-01-15 09:00:00Z` **ana** (`slack:T1:U1`) Incident: <@U1> opened the incident", entries[0], StringComparison.Ordinal);
        Assert.Contains("**Bo Ström** (`teams:72f988bf-86f1-41af-91ab-2d7cd011db47:29f1f4d1-6e2b-4f0a-9c5a-7d0d6b2b1e3a`) [R-7Q2K] Decision: approved", entries[2], StringComparison.Ordinal);
        Assert.Contains("savepointPath: `s3://savepoints/sp-1`", entries[3], StringComparison.Ordinal);
        Assert.Contains("Note: line one line two", entries[4], StringComparison.Ordinal);
    }

    [Fact]
    public void ToMarkdown_WithAMaximum_ShowsTheNewestKeepingTheirNumbersAndSaysWhatIsLeftOut()
    {
        var document = Document();

        var lines = document.ToMarkdown(maxEntries: 2).Split('\n');

        Assert.Contains("(3 earlier entries not shown here: `/flink timeline export INC-4F2K` has them all.)", lines);
        var entries = lines.Where(l => l.Length > 2 && char.IsAsciiDigit(l[0])).ToList();
        Assert.Equal(2, entries.Count);
        Assert.StartsWith("4. ", entries[0], StringComparison.Ordinal);
        Assert.StartsWith("5. ", entries[1], StringComparison.Ordinal);
    }

    private static TimelineDocument Document()
    {
        string? head = null;
        var sequence = 0;
        TimelineEntry Incident(int seconds, Actor actor, TimelineEventKind kind, string text)
        {
            var entry = TimelineChain.Seal(new TimelineEntry("INC-4F2K", sequence++, T0.AddSeconds(seconds), actor, kind, text, new Dictionary<string, string>()), head ?? TimelineChain.Genesis);
            head = entry.Hash;
            return entry;
        }
        TimelineEntry Run(int sequence, int seconds, Actor actor, TimelineEventKind kind, string text, Dictionary<string, string>? evidence = null) =>
            new TimelineEntry("R-7Q2K", sequence, T0.AddSeconds(seconds).AddTicks(1234567), actor, kind, text, evidence ?? []) { Hash = new string('a', 64), PreviousHash = TimelineChain.Genesis };

        return new TimelineDocument("INC-4F2K", "orders lag after deploy",
            new Dictionary<string, string> { ["status"] = "open", ["runs"] = "R-7Q2K" },
            [
                Incident(0, Ana, TimelineEventKind.Incident, "<@U1> opened the incident: orders lag after deploy"),
                Run(0, 10, Ana, TimelineEventKind.Requested, "<@U1> requested `/flink upgrade orders-enricher --jar x.jar`"),
                Run(1, 20, Bo, TimelineEventKind.Decision, "approved by Bo Ström: \"looks good\" ✓"),
                Run(2, 30, Actor.System, TimelineEventKind.Step, "stopped with savepoint", new() { ["savepointPath"] = "s3://savepoints/sp-1", ["jobId"] = "a1b2" }),
                Incident(40, Bo, TimelineEventKind.Note, "line one\nline two"),
            ]);
    }
}
