using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Clusters;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Core.Incidents;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Core.Commands;

public sealed partial class CommandService
{
    /// <summary>The most timeline entries a chat answer shows (the newest); exports have them all.</summary>
    private const int MaxEntriesInChat = 60;

    private const string NoOpenIncident = "No incident is open in this channel. `/flink incident start <title>` opens one; `/flink timeline R-XXXX` shows a run's timeline.";

    private readonly IncidentBook? _incidents;
    private readonly TimelineService? _timelines;
    private readonly Uri? _exportBaseUrl;

    /// <summary>Creates the service with incidents and the shared timeline.</summary>
    /// <param name="recipes">The recipe catalog.</param>
    /// <param name="clusters">The configured clusters.</param>
    /// <param name="runs">The run store.</param>
    /// <param name="recorder">Writes run changes.</param>
    /// <param name="locks">The per-job locks.</param>
    /// <param name="signal">Wakes the engine.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The log.</param>
    /// <param name="authorization">Decides who may read, request and approve.</param>
    /// <param name="incidents">Writes incidents; runs started in a channel with an open incident attach to it.</param>
    /// <param name="timelines">Reads, exports and verifies timelines.</param>
    /// <param name="exports">
    /// Where the HTTP timeline export is served, so exports can link to it; null or an unset
    /// <see cref="TimelineExportOptions.PublicBaseUrl"/> leaves the link out.
    /// </param>
    public CommandService(RecipeCatalog recipes, IClusterDirectory clusters, IRunStore runs, RunRecorder recorder, IJobLockStore locks,
        Chat.IRunSignal signal, TimeProvider time, ILogger<CommandService> logger, Authorization.IAuthorizationPolicy authorization,
        IncidentBook incidents, TimelineService timelines, TimelineExportOptions? exports = null)
        : this(recipes, clusters, runs, recorder, locks, signal, time, logger, authorization)
    {
        _incidents = incidents;
        _timelines = timelines;
        _exportBaseUrl = exports?.PublicBaseUrl;
    }

    /// <summary>
    /// Puts a refused change (a request or a gate decision the policy or the run's state does not allow) on the timeline
    /// of the incident open in <paramref name="channel"/>, if any. Never fails the command: the refusal stands either way.
    /// </summary>
    private async Task RecordRefusalAsync(ChannelRef channel, Actor actor, string what, string reason, CancellationToken cancellationToken)
    {
        if (_incidents is null) return;
        try
        {
            await _incidents.RecordRefusalAsync(channel, actor, what, reason, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRefusalNotRecorded(_logger, actor.Key, what, e);
        }
    }

    private async Task<CommandReply> IncidentStartAsync(ParsedCommand.IncidentStart start, ChatCommand command, CancellationToken cancellationToken)
    {
        if (_incidents is null) return NotAvailable();
        var (opened, already) = await _incidents.OpenAsync(start.Title, command.Actor, command.Channel, cancellationToken);
        if (opened is null)
        {
            return CommandReply.Refused(
                $"{already!.Id} is already open in this channel ({already.Title}; opened by {already.OpenedBy.Mention} {Durations.Ago(_time.GetUtcNow(), already.OpenedAt)}). " +
                "One incident per channel: add to it with `/flink note <text>`, or close it with `/flink incident close [summary]` first.");
        }
        LogIncident(_logger, opened.Id.Value, "opened", command.Actor.Key);
        return new CommandReply(
            $"{opened.Id} opened by {command.Actor.Mention}: {opened.Title}\n" +
            "Runs started in this channel now attach to it. `/flink note <text>` adds a note, `/flink timeline` shows the timeline, " +
            "`/flink incident close [summary]` closes it.",
            ReplyVisibility.InChannel);
    }

    private async Task<CommandReply> IncidentCloseAsync(ParsedCommand.IncidentClose close, ChatCommand command, CancellationToken cancellationToken)
    {
        if (_incidents is null) return NotAvailable();
        if (await _incidents.Store.GetOpenAsync(command.Channel, cancellationToken) is not { Value: var open }) return CommandReply.Refused(NoOpenIncident);
        var closed = await _incidents.CloseAsync(open.Id, command.Actor, close.Summary, cancellationToken);
        if (closed is null || closed.ClosedBy is not { } by || !by.IsSamePersonAs(command.Actor) || closed.ClosedAt is not { } at)
        {
            return CommandReply.Refused($"{open.Id} was closed by someone else just now. `/flink timeline {open.Id}` shows it.");
        }
        LogIncident(_logger, closed.Id.Value, "closed", command.Actor.Key);
        return new CommandReply(
            $"{closed.Id} closed by {command.Actor.Mention} after {Durations.Format(at - closed.OpenedAt)}" + (closed.Summary is null ? "." : $": {closed.Summary}") +
            $"\n{closed.Runs.Count} run(s) attached. `/flink timeline export {closed.Id}` exports the timeline for the post-mortem.",
            ReplyVisibility.InChannel);
    }

    private async Task<CommandReply> NoteAsync(ParsedCommand.Note note, ChatCommand command, CancellationToken cancellationToken)
    {
        if (note.RunId is { } runId)
        {
            for (var attempt = 0; ; attempt++)
            {
                var change = await _recorder.BeginAsync(runId, cancellationToken);
                if (change is null) return CommandReply.Refused($"There is no run {runId}. `/flink runs` lists recent runs.");
                change.Record(command.Actor, Timeline.TimelineEventKind.Note, $"note by {command.Actor.Mention}: {note.Text}");
                try
                {
                    await _recorder.CommitAsync(change, cancellationToken);
                }
                catch (ConcurrencyConflictException) when (attempt < MaxConflictRetries)
                {
                    continue; // The engine wrote first: re-read and add the note again.
                }
                return new CommandReply($"Note added to {runId}'s timeline.", ReplyVisibility.Ephemeral, runId);
            }
        }
        if (_incidents is null) return NotAvailable();
        if (await _incidents.Store.GetOpenAsync(command.Channel, cancellationToken) is not { Value: var open })
        {
            return CommandReply.Refused("No incident is open in this channel. Add the note to a run with `/flink note --run R-XXXX <text>`, or open an incident with `/flink incident start <title>`.");
        }
        await _incidents.AddNoteAsync(open.Id, command.Actor, note.Text, cancellationToken);
        return new CommandReply($"Note added to {open.Id} by {command.Actor.Mention}: {note.Text}", ReplyVisibility.InChannel);
    }

    private async Task<CommandReply> ShowTimelineAsync(string? subject, ChatCommand command, CancellationToken cancellationToken)
    {
        if (_timelines is null) return NotAvailable();
        var (document, refusal) = await DocumentAsync(subject, command, cancellationToken);
        return document is null ? refusal! : CommandReply.Private(document.ToMarkdown(MaxEntriesInChat).TrimEnd());
    }

    private async Task<CommandReply> ExportTimelineAsync(ParsedCommand.ExportTimeline export, ChatCommand command, CancellationToken cancellationToken)
    {
        if (_timelines is null) return NotAvailable();
        var (document, refusal) = await DocumentAsync(export.Subject, command, cancellationToken);
        if (document is null) return refusal!;
        var format = export.Format == TimelineFormat.Json ? "JSON" : "Markdown";
        var link = _exportBaseUrl is null ? null
            : new Uri(_exportBaseUrl, $"api/timeline/{document.Subject}?format={(export.Format == TimelineFormat.Json ? "json" : "md")}");
        var file = new ReplyFile(document.FileName(export.Format), TimelineDocument.ContentType(export.Format),
            $"Timeline of {document.Subject} ({format})", document.Render(export.Format), link);
        return new CommandReply($"Timeline of {document.Subject} ({document.Title}): {document.Entries.Count} entries, exported as {format}.", ReplyVisibility.Ephemeral) { File = file };
    }

    private async Task<CommandReply> VerifyTimelineAsync(string? subject, ChatCommand command, CancellationToken cancellationToken)
    {
        if (_timelines is null) return NotAvailable();
        if (subject is null)
        {
            if (_incidents is null) return NotAvailable();
            if (await _incidents.Store.GetOpenAsync(command.Channel, cancellationToken) is not { Value: var open }) return CommandReply.Refused(NoOpenIncident);
            subject = open.Id.Value;
        }
        if (await _timelines.VerifyAsync(subject, cancellationToken) is not { } reports) return NoSuchSubject(subject);
        var broken = reports.Where(r => !r.Intact).ToList();
        var headline = broken.Count == 0
            ? $"{subject}: the hash chain checks out; no stored entry was changed, removed or reordered."
            : $"{subject}: the hash chain is BROKEN in {broken.Count} timeline(s): stored history was changed. First broken entry: {broken[0].Problem} ({broken[0].Subject}).";
        return CommandReply.Private(headline + "\n" + string.Join('\n', reports.Select(r => "• " + r.Summary)));
    }

    /// <summary>Attaches a run just created to the channel's open incident; null when none is open. Never fails the run's start.</summary>
    private async Task<IncidentId?> AttachToIncidentAsync(Run run, CancellationToken cancellationToken)
    {
        if (_incidents is null) return null;
        try
        {
            return (await _incidents.AttachRunAsync(run, cancellationToken))?.Id;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogAttachFailed(_logger, e, run.Id.Value);
            return null;
        }
    }

    private async Task<(TimelineDocument? Document, CommandReply? Refusal)> DocumentAsync(string? subject, ChatCommand command, CancellationToken cancellationToken)
    {
        if (subject is null)
        {
            if (_incidents is null) return (null, NotAvailable());
            if (await _incidents.Store.GetOpenAsync(command.Channel, cancellationToken) is not { Value: var open }) return (null, CommandReply.Refused(NoOpenIncident));
            subject = open.Id.Value;
        }
        return await _timelines!.LoadAsync(subject, cancellationToken) is { } document ? (document, null) : (null, NoSuchSubject(subject));
    }

    private static CommandReply NoSuchSubject(string subject) => CommandReply.Refused(subject.StartsWith("INC-", StringComparison.Ordinal)
        ? $"There is no incident {subject}."
        : $"There is no run {subject}. `/flink runs` lists recent runs.");

    private static CommandReply NotAvailable() =>
        CommandReply.Refused("Incidents and timeline exports are not set up on this bot (no incident store is configured). Ask whoever runs the bot.");

    private static string IncidentHelp() =>
        "• `/flink incident start <title>` open an incident in this channel (runs started here attach to it); `/flink incident close [summary]`\n" +
        "• `/flink note [--run R-XXXX] <text>` a note on the open incident's timeline, or on a run's\n" +
        "• `/flink timeline [INC-XXXX|R-XXXX]` the open incident's timeline (with its runs), or one incident's or run's\n" +
        "• `/flink timeline export [INC-XXXX|R-XXXX] [--format md|json]` the timeline as a file for the post-mortem\n" +
        "• `/flink timeline verify [INC-XXXX|R-XXXX]` check the timeline's hash chain for tampering\n";

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident {IncidentId} {What} by {Actor}")]
    private static partial void LogIncident(ILogger logger, string incidentId, string what, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} started but could not be attached to the channel's open incident")]
    private static partial void LogAttachFailed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A refusal of {What} to {Actor} could not be put on the channel's incident timeline")]
    private static partial void LogRefusalNotRecorded(ILogger logger, string actor, string what, Exception exception);
}
