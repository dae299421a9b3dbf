using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Incidents;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Tests.Engine;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Tests.Incidents;

/// <summary>
/// <c>/flink incident start|close</c>, <c>/flink note</c> and the incident's merged timeline, through the command
/// pipeline with runs against FlinkSim over HTTP.
/// </summary>
public class IncidentCommandTests
{
    private const string Upgrade = "/flink upgrade orders-enricher --jar orders-enricher-2.4.0.jar";
    private static readonly ChannelRef OtherChannel = new("slack", "T1", "C2");

    [Fact]
    public async Task IncidentStart_OpensOneIncidentPerChannel()
    {
        await using var h = await EngineHarness.StartAsync();

        var first = await h.SayAsync("/flink incident start orders lag after deploy");
        var second = await h.SayAsync("/flink incident start another one", EngineHarness.Bo);
        var elsewhere = await h.SayAsync("/flink incident start checkpoint failures", channel: OtherChannel);

        Assert.True(first.Accepted, first.Text);
        Assert.Equal(ReplyVisibility.InChannel, first.Visibility);
        var open = (await h.Incidents.GetOpenAsync(EngineHarness.Channel, CancellationToken.None))!.Value;
        Assert.StartsWith($"{open.Id} opened by <@U1>: orders lag after deploy", first.Text, StringComparison.Ordinal);
        Assert.Equal(EngineHarness.Ana.Key, open.OpenedBy.Key);
        Assert.False(second.Accepted);
        Assert.Contains($"{open.Id} is already open in this channel", second.Text, StringComparison.Ordinal);
        Assert.True(elsewhere.Accepted, elsewhere.Text);
        Assert.NotEqual(open.Id, (await h.Incidents.GetOpenAsync(OtherChannel, CancellationToken.None))!.Value.Id);
    }

    [Fact]
    public async Task RunStartedInTheChannel_AttachesAndTheTimelineMergesItsEntries()
    {
        await using var h = await EngineHarness.StartAsync();
        await h.SayAsync("/flink incident start orders lag after deploy");
        h.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True((await h.SayAsync("/flink note lag started 09:02, consumer group orders-enricher", EngineHarness.Bo)).Accepted);
        h.Clock.Advance(TimeSpan.FromSeconds(5));

        var start = await h.SayAsync(Upgrade);
        var done = await h.ApproveAndFinishAsync(start.RunId!.Value);
        var shown = await h.SayAsync("/flink timeline");

        Assert.Equal(RunState.Succeeded, done.State);
        var incident = (await h.Incidents.GetOpenAsync(EngineHarness.Channel, CancellationToken.None))!.Value;
        Assert.Contains($"Attached to {incident.Id}.", start.Text, StringComparison.Ordinal);
        Assert.Equal([done.Id], incident.Runs);
        var document = (await h.Timelines.IncidentDocumentAsync(incident.Id, CancellationToken.None))!;
        Assert.Equal(document.Entries.OrderBy(e => e.At).Select(e => e.At), document.Entries.Select(e => e.At));
        var kinds = document.Entries.Select(e => (e.Subject == incident.Id.Value ? "INC" : "run") + ":" + e.Kind).ToList();
        Assert.Equal(["INC:Incident", "INC:Note", "run:Requested"], kinds.Take(3));
        Assert.Contains("INC:Incident", kinds.Skip(3)); // attached after the run was requested
        Assert.Contains(document.Entries, e => e.Kind == TimelineEventKind.Decision && e.Actor.Key == EngineHarness.Bo.Key && e.Subject == done.Id.Value);
        Assert.Contains(document.Entries, e => e.Kind == TimelineEventKind.Step && e.Evidence.ContainsKey("savepointPath"));
        Assert.True(shown.Accepted, shown.Text);
        Assert.StartsWith($"# Timeline of {incident.Id}: orders lag after deploy", shown.Text, StringComparison.Ordinal);
        Assert.Contains("(`slack:T1:U2`) Note: lag started 09:02, consumer group orders-enricher", shown.Text, StringComparison.Ordinal);
        Assert.Contains($"[{done.Id}] Decision: approved by <@U2>", shown.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunStartedInAnotherChannel_DoesNotAttach()
    {
        await using var h = await EngineHarness.StartAsync();
        await h.SayAsync("/flink incident start orders lag after deploy");

        var start = await h.SayAsync(Upgrade, channel: OtherChannel);

        Assert.True(start.Accepted, start.Text);
        Assert.DoesNotContain("Attached", start.Text, StringComparison.Ordinal);
        Assert.Empty((await h.Incidents.GetOpenAsync(EngineHarness.Channel, CancellationToken.None))!.Value.Runs);
    }

    [Fact]
    public async Task Note_WithoutAnOpenIncident_IsRefusedWithWhatToDo()
    {
        await using var h = await EngineHarness.StartAsync();

        var reply = await h.SayAsync("/flink note restarted TaskManager 3");

        Assert.False(reply.Accepted);
        Assert.Contains("No incident is open in this channel", reply.Text, StringComparison.Ordinal);
        Assert.Contains("/flink note --run R-XXXX <text>", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoteOnARun_GoesOnTheRunsTimelineWithTheVerifiedActor()
    {
        await using var h = await EngineHarness.StartAsync();
        var run = await h.StartUpgradeAsync(Upgrade);

        var reply = await h.SayAsync($"/flink note --run {run.Id} paused the upstream producer", EngineHarness.Bo);
        var missing = await h.SayAsync("/flink note --run R-2222 text");

        Assert.True(reply.Accepted, reply.Text);
        var stored = await h.GetAsync(run.Id);
        var note = Assert.Single(await h.Recorder.TimelineAsync(stored, CancellationToken.None), e => e.Kind == TimelineEventKind.Note);
        Assert.Equal(EngineHarness.Bo.Key, note.Actor.Key);
        Assert.Equal("note by <@U2>: paused the upstream producer", note.Text);
        Assert.True((await h.Timelines.VerifyAsync(run.Id.Value, CancellationToken.None))!.Single().Intact);
        Assert.False(missing.Accepted);
    }

    [Fact]
    public async Task IncidentClose_EndsItAndLaterRunsAndNotesNoLongerAttach()
    {
        await using var h = await EngineHarness.StartAsync();
        await h.SayAsync("/flink incident start orders lag after deploy");
        var incident = (await h.Incidents.GetOpenAsync(EngineHarness.Channel, CancellationToken.None))!.Value;
        h.Clock.Advance(TimeSpan.FromMinutes(42));

        var close = await h.SayAsync("/flink incident close rolled back to 2.3.1; lag gone", EngineHarness.Bo);
        var again = await h.SayAsync("/flink incident close");
        var note = await h.SayAsync("/flink note too late");
        var start = await h.SayAsync(Upgrade);
        var shown = await h.SayAsync($"/flink timeline {incident.Id.Value.ToLowerInvariant()}");

        Assert.True(close.Accepted, close.Text);
        Assert.StartsWith($"{incident.Id} closed by <@U2> after 42 min: rolled back to 2.3.1; lag gone", close.Text, StringComparison.Ordinal);
        var closed = (await h.Incidents.GetAsync(incident.Id, CancellationToken.None))!.Value;
        Assert.False(closed.IsOpen);
        Assert.Equal(EngineHarness.Bo.Key, closed.ClosedBy!.Key);
        Assert.Null(await h.Incidents.GetOpenAsync(EngineHarness.Channel, CancellationToken.None));
        Assert.False(again.Accepted);
        Assert.False(note.Accepted);
        Assert.DoesNotContain("Attached", start.Text, StringComparison.Ordinal);
        Assert.Empty(closed.Runs);
        Assert.Contains("closed the incident: rolled back to 2.3.1; lag gone", shown.Text, StringComparison.Ordinal);
        Assert.True((await h.SayAsync("/flink incident start the next one")).Accepted);
    }

    [Fact]
    public async Task TimelineVerify_DetectsAModifiedRunEntryAndAModifiedIncidentEntry()
    {
        await using var h = await EngineHarness.StartAsync();
        await h.SayAsync("/flink incident start orders lag after deploy");
        await h.SayAsync("/flink note first note");
        var run = await h.StartUpgradeAsync(Upgrade);
        await h.ApproveAndFinishAsync(run.Id);
        var incident = (await h.Incidents.GetOpenAsync(EngineHarness.Channel, CancellationToken.None))!.Value;

        var intact = await h.SayAsync("/flink timeline verify");
        // Someone with write access to storage rewrites who approved.
        var events = await h.Timeline.ListAsync(run.Id, CancellationToken.None);
        var approval = events.Single(e => e.Kind == TimelineEventKind.Decision);
        await h.Timeline.AppendAsync([approval with { Actor = EngineHarness.Ana }], CancellationToken.None);
        var runBroken = await h.SayAsync($"/flink timeline verify {run.Id}");
        var note = (await h.Incidents.ListEntriesAsync(incident.Id, CancellationToken.None)).Single(e => e.Kind == TimelineEventKind.Note);
        await h.Incidents.AppendAsync([note with { Text = "a different note" }], CancellationToken.None);
        var incidentBroken = await h.SayAsync($"/flink timeline verify {incident.Id}");

        Assert.Contains("the hash chain checks out", intact.Text, StringComparison.Ordinal);
        Assert.Contains($"{incident.Id}: 3 entries, chain intact", intact.Text, StringComparison.Ordinal);
        Assert.Contains($"{run.Id}: chain BROKEN at entry {approval.Sequence} was modified", runBroken.Text, StringComparison.Ordinal);
        Assert.Contains($"{incident.Id}: chain BROKEN at entry {note.Sequence} was modified", incidentBroken.Text, StringComparison.Ordinal);
        Assert.Contains($"{run.Id}: chain BROKEN", incidentBroken.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--format json", TimelineFormat.Json, ".json")]
    [InlineData("", TimelineFormat.Markdown, ".md")]
    public async Task TimelineExport_GivesTheDocumentAsAFile(string option, TimelineFormat format, string extension)
    {
        await using var h = await EngineHarness.StartAsync();
        await h.SayAsync("/flink incident start orders lag after deploy");
        var run = await h.StartUpgradeAsync(Upgrade);
        await h.ApproveAndFinishAsync(run.Id);
        var incident = (await h.Incidents.GetOpenAsync(EngineHarness.Channel, CancellationToken.None))!.Value;

        var reply = await h.SayAsync($"/flink timeline export {option}");

        Assert.True(reply.Accepted, reply.Text);
        var file = reply.File!;
        Assert.Equal($"timeline-{incident.Id}{extension}", file.FileName);
        var document = (await h.Timelines.IncidentDocumentAsync(incident.Id, CancellationToken.None))!;
        Assert.Equal(document.Render(format), file.Content);
        if (format == TimelineFormat.Json)
        {
            var parsed = TimelineDocument.FromJson(file.Content);
            Assert.Equal(document.Entries.Select(CoreJson.Serialize), parsed.Entries.Select(CoreJson.Serialize));
        }
    }

    [Fact]
    public async Task Timeline_WithoutAnOpenIncidentOrForAnUnknownId_IsRefused()
    {
        await using var h = await EngineHarness.StartAsync();

        var none = await h.SayAsync("/flink timeline");
        var unknown = await h.SayAsync("/flink timeline export INC-2222");

        Assert.False(none.Accepted);
        Assert.Contains("No incident is open in this channel", none.Text, StringComparison.Ordinal);
        Assert.Equal("There is no incident INC-2222.", unknown.Text);
    }
}
