using System.Text;
using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Cards;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Clusters;
using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Core.Commands;

/// <summary>
/// The command pipeline: parse → resolve cluster and job → lock → create the run → persist → wake the engine, and
/// gate decisions on existing runs. Refusals are replies that say what was wrong and what to do; nothing is created
/// or changed by a refused command.
/// </summary>
public sealed partial class CommandService : ICommandService
{
    private const int MaxConflictRetries = 5;

    private readonly CommandParser _parser;
    private readonly RecipeCatalog _recipes;
    private readonly IClusterDirectory _clusters;
    private readonly IRunStore _runs;
    private readonly RunRecorder _recorder;
    private readonly IJobLockStore _locks;
    private readonly IRunSignal _signal;
    private readonly TimeProvider _time;
    private readonly ILogger<CommandService> _logger;
    private readonly IAuthorizationPolicy _authorization;

    /// <summary>Creates the service; <paramref name="authorization"/> decides who may read, request and approve.</summary>
    public CommandService(RecipeCatalog recipes, IClusterDirectory clusters, IRunStore runs, RunRecorder recorder, IJobLockStore locks,
        IRunSignal signal, TimeProvider time, ILogger<CommandService> logger, IAuthorizationPolicy authorization)
    {
        _parser = new CommandParser(recipes);
        _recipes = recipes;
        _clusters = clusters;
        _runs = runs;
        _recorder = recorder;
        _locks = locks;
        _signal = signal;
        _time = time;
        _logger = logger;
        _authorization = authorization;
    }

    /// <inheritdoc />
    public async Task<CommandReply> HandleAsync(ChatCommand command, CancellationToken cancellationToken)
    {
        try
        {
            var parsed = _parser.Parse(command.Text);
            if (await ReadRefusalAsync(parsed, command, cancellationToken) is { } unreadable) return unreadable;
            return parsed switch
            {
                ParsedCommand.Invalid invalid => CommandReply.Refused($"{Capitalize(invalid.Problem)}.\nUsage: `{invalid.Usage}`"),
                ParsedCommand.Help help => await HelpAsync(help.Topic, command, cancellationToken),
                ParsedCommand.Runs runs => await RunsAsync(runs.RunId, cancellationToken),
                ParsedCommand.Timeline timeline => await TimelineAsync(timeline.RunId, cancellationToken),
                ParsedCommand.Decide decide => await DecideAsync(decide, command, cancellationToken),
                ParsedCommand.IncidentStart start => await IncidentStartAsync(start, command, cancellationToken),
                ParsedCommand.IncidentClose close => await IncidentCloseAsync(close, command, cancellationToken),
                ParsedCommand.Note note => await NoteAsync(note, command, cancellationToken),
                ParsedCommand.ShowTimeline show => await ShowTimelineAsync(show.Subject, command, cancellationToken),
                ParsedCommand.ExportTimeline export => await ExportTimelineAsync(export, command, cancellationToken),
                ParsedCommand.VerifyTimeline verify => await VerifyTimelineAsync(verify.Subject, command, cancellationToken),
                ParsedCommand.Start { Recipe.Mutating: false } report => await ReportAsync(report, command, cancellationToken),
                ParsedCommand.Start start => await StartAsync(start, command, cancellationToken),
                ParsedCommand.Lock @lock => await LockAsync(@lock, command, cancellationToken),
                ParsedCommand.Unlock unlock => await UnlockAsync(unlock, command, cancellationToken),
                ParsedCommand.Locks locks => await LocksAsync(locks, cancellationToken),
                ParsedCommand.StealLock steal => await StealLockAsync(steal, command, cancellationToken),
                var other => throw new InvalidOperationException($"Unhandled command {other}."),
            };
        }
        catch (PlatformException e)
        {
            return CommandReply.Refused($"The cluster did not answer as expected: {e.Message}. Nothing was started or changed; try again, or check the cluster.");
        }
    }

    /// <inheritdoc />
    public Task<CommandReply> HandleActionAsync(ChatAction action, CancellationToken cancellationToken) =>
        ApplyDecisionAsync(action.RunId, action.Action, action.Actor, action.Comment, cancellationToken, action.PlanHash);

    private async Task<CommandReply> HelpAsync(string? topic, ChatCommand command, CancellationToken cancellationToken)
    {
        if (topic is not null && _recipes.Find(topic) is { } recipe)
        {
            var text = new StringBuilder($"*{recipe.Title}* (cookbook {recipe.Cookbook})\n{recipe.Summary}\nUsage: `{recipe.Usage}`\n");
            foreach (var input in recipe.Inputs) text.Append($"  `{input.Usage}` {input.Help}\n");
            if (!recipe.Mutating) return CommandReply.Private(text.Append(ReportHelp(recipe)).ToString());
            text.Append("Preconditions: ").Append(string.Join(", ", recipe.Preconditions.Select(p => p.Check))).Append('\n');
            text.Append(await WhoMayRequestAsync(recipe, command, cancellationToken)).Append('\n');
            return CommandReply.Private(text.ToString());
        }
        var (allowed, mayApprove) = await WhatMayRunAsync(command, cancellationToken);
        var help = new StringBuilder("FlinkOpsBot runs the Flink production cookbook from chat. What you may run here:\n");
        foreach (var (r, where) in allowed) help.Append($"• `{r.Usage}`{where}\n    {r.Summary}\n");
        foreach (var report in _recipes.All.Where(r => !r.Mutating)) help.Append($"• `{report.Usage}`\n    {report.Summary}\n");
        help.Append("• `/flink runs [R-XXXX]` recent runs, or one run's card\n")
            .Append("• `/flink timeline R-XXXX` a run's timeline (Markdown)\n")
            .Append(IncidentHelp())
            .Append(mayApprove ? "• `/flink approve|reject R-XXXX|last [reason]`, `/flink cancel R-XXXX` decide at a gate; `/flink confirm R-XXXX|last` after approving a run that drops state\n"
                : allowed.Count > 0 ? "• `/flink cancel R-XXXX` withdraw your own request\n" : "")
            .Append(mayApprove ? "• `/flink retry|continue|rollback|abandon R-XXXX|last` decide for a run parked on an uncertain step (`continue R-XXXX <savepoint path>` after a stop)\n" : "")
            .Append(allowed.Count == 0 ? "You may not start any recipe from here; `/flink help <recipe>` says who may.\n" : "")
            .Append(allowed.Count > 0 ? "• `/flink lock <job> --reason \"…\" [--for 1h]`, `/flink unlock <job> [--steal]`, `/flink locks` hold a job against changes by others\n" : "")
            .Append("• `/flink help <recipe>` a recipe's inputs and preconditions\n")
            .Append("Clusters: ").Append(string.Join(", ", _clusters.Clusters.Select(c => c.Name + (c == _clusters.Default ? " (default)" : ""))));
        return CommandReply.Private(help.ToString());
    }

    private async Task<CommandReply> RunsAsync(RunId? id, CancellationToken cancellationToken)
    {
        if (id is { } runId)
        {
            var stored = await _runs.GetAsync(runId, cancellationToken);
            if (stored is null) return CommandReply.Refused($"There is no run {runId}. `/flink runs` lists recent runs.");
            var run = stored.Value;
            var card = RunCardBuilder.Build(run, _recipes.Find(run.RecipeId)!, await _recorder.TimelineAsync(run, cancellationToken));
            return CommandReply.Private(TextCardRenderer.Render(card));
        }
        var recent = await _runs.ListRecentAsync(10, cancellationToken);
        if (recent.Count == 0) return CommandReply.Private("No runs yet. `/flink help` shows what you can start.");
        var now = _time.GetUtcNow();
        var text = new StringBuilder("Recent runs:\n");
        foreach (var run in recent)
        {
            text.Append($"• {run.Id} {run.RecipeId} {run.JobName} on {run.Cluster}: {RunCardBuilder.StateLabel(run.State)} ")
                .Append($"(by {run.Requester.Mention}, {Durations.Ago(now, run.CreatedAt)})\n");
        }
        return CommandReply.Private(text.ToString().TrimEnd());
    }

    private async Task<CommandReply> TimelineAsync(RunId id, CancellationToken cancellationToken)
    {
        if (_timelines is not null) return await _timelines.RunDocumentAsync(id, cancellationToken) is { } document
            ? CommandReply.Private(document.ToMarkdown(MaxEntriesInChat).TrimEnd())
            : CommandReply.Refused($"There is no run {id}. `/flink runs` lists recent runs.");
        var stored = await _runs.GetAsync(id, cancellationToken);
        if (stored is null) return CommandReply.Refused($"There is no run {id}. `/flink runs` lists recent runs.");
        return CommandReply.Private(TimelineExport.ToMarkdown(stored.Value, await _recorder.TimelineAsync(stored.Value, cancellationToken)));
    }

    private async Task<CommandReply> DecideAsync(ParsedCommand.Decide decide, ChatCommand command, CancellationToken cancellationToken)
    {
        var runId = decide.RunId;
        if (runId is null)
        {
            var active = await _runs.ListActiveAsync(cancellationToken);
            var candidates = active
                .Where(r => r.Origin.Platform == command.Channel.Platform && r.Origin.ConversationId == command.Channel.ConversationId)
                .Where(r => decide.Action == GateAction.Cancel ? r.Requester.IsSamePersonAs(command.Actor)
                    : Lifecycle.RunDecisions.IsDecision(decide.Action) ? r.State == RunState.AwaitingDecision
                    : r.State == RunState.AwaitingApproval)
                .OrderByDescending(r => r.CreatedAt)
                .ToList();
            if (candidates.Count == 0)
            {
                return CommandReply.Refused(decide.Action == GateAction.Cancel
                    ? "You have no run in this channel that can be cancelled."
                    : Lifecycle.RunDecisions.IsDecision(decide.Action)
                        ? "No run in this channel is waiting for a decision. `/flink runs` lists recent runs."
                        : "No run in this channel is waiting for approval. `/flink runs` lists recent runs.");
            }
            runId = candidates[0].Id;
        }
        return await ApplyDecisionAsync(runId.Value, decide.Action, command.Actor, decide.Comment, cancellationToken);
    }

    private async Task<CommandReply> ApplyDecisionAsync(RunId runId, GateAction action, Actor actor, string? comment, CancellationToken cancellationToken,
        string? shownPlanHash = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var change = await _recorder.BeginAsync(runId, cancellationToken);
            if (change is null) return CommandReply.Refused($"There is no run {runId}.");
            var run = change.Run;
            var who = await ApproverMatchAsync(run, actor, cancellationToken);
            if (MovedOn(run, action) is { } movedOn)
            {
                LogRefused(_logger, runId.Value, action, actor.Key, movedOn);
                return CommandReply.Refused(movedOn); // a late click on a card: nothing worth recording
            }
            var refusal = (Lifecycle.RunDecisions.IsDecision(action)
                ? Lifecycle.RunDecisions.Refusal(run, actor, action, comment, who)
                : GateRules.Refusal(run, actor, action, who))
                ?? (action is GateAction.Approve or GateAction.Confirm ? PlanBinding.StaleCardRefusal(run, shownPlanHash) : null);
            if (refusal is not null)
            {
                LogRefused(_logger, runId.Value, action, actor.Key, refusal);
                // On the incident the run belongs to (the one open where it was started), never on the run: it is unchanged.
                await RecordRefusalAsync(run.Origin, actor, $"{action.ToString().ToLowerInvariant()} {run.Id}", refusal, cancellationToken);
                return CommandReply.Refused(refusal);
            }

            string reply;
            switch (action)
            {
                case GateAction.Approve:
                    var planHash = run.Plan?.Hash;
                    var plan = planHash is null ? "" : $" (plan {planHash})";
                    run.Approvals.Add(new Approval(actor, change.Now, comment, planHash));
                    change.Record(actor, TimelineEventKind.Decision, $"approved by {actor.Mention}{plan}{(comment is null ? "" : ": " + comment)}",
                        planHash is null ? null : new Dictionary<string, string> { ["planHash"] = planHash, ["actor"] = actor.Key });
                    if (Lifecycle.RunLifecycle.HasQuorum(run))
                    {
                        RunEngine.Fire(change, RunTrigger.Approve, "quorum reached; re-checking the preconditions and the plan before executing", actor);
                        run.Summary = "Approved; re-checking the preconditions and the plan, then executing.";
                        run.NextWakeAt = change.Now;
                        reply = $"{runId} approved by {actor.Mention}{plan}; re-checking the preconditions, then executing.";
                    }
                    else
                    {
                        var missing = run.Gate!.RequiredApprovals - Lifecycle.RunLifecycle.CountedApprovals(run);
                        reply = missing > 0
                            ? $"{runId} approved by {actor.Mention}{plan}; {missing} more approval(s) needed."
                            : $"{runId} approved by {actor.Mention}{plan}; it drops state, so an approver must also confirm: `/flink confirm {runId}`.";
                    }
                    break;
                case GateAction.Confirm:
                    reply = ConfirmStateDrop(change, actor, comment);
                    break;
                case GateAction.Reject:
                    run.Decline = new Approval(actor, change.Now, comment);
                    run.Summary = $"Rejected by {actor.Mention}{(comment is null ? "" : ": " + comment)}. Nothing was changed.";
                    RunEngine.Fire(change, RunTrigger.Reject, "rejected", actor);
                    reply = $"{runId} rejected by {actor.Mention}. Nothing was changed.";
                    break;
                case GateAction.Retry or GateAction.Continue or GateAction.RollBack or GateAction.Abandon:
                    var (trigger, why, answer) = Lifecycle.RunDecisions.Apply(run, actor, action, comment, change.Now);
                    change.Record(actor, TimelineEventKind.Decision, $"{Lifecycle.RunDecisions.Verb(action)} chosen by {actor.Mention}{(comment is null ? "" : ": " + comment)}",
                        new Dictionary<string, string> { ["decision"] = Lifecycle.RunDecisions.Verb(action), ["actor"] = actor.Key });
                    RunEngine.Fire(change, trigger, why, actor);
                    reply = answer;
                    break;
                default:
                    run.Decline = new Approval(actor, change.Now, comment);
                    run.Summary = $"Cancelled by {actor.Mention}. Nothing was changed.";
                    RunEngine.Fire(change, RunTrigger.Cancel, "cancelled by the requester", actor);
                    reply = $"{runId} cancelled. Nothing was changed.";
                    break;
            }
            if (run.State.IsTerminal())
            {
                run.EndedAt = change.Now;
                run.NextWakeAt = null;
            }
            try
            {
                await _recorder.CommitAsync(change, cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxConflictRetries)
            {
                continue; // The engine or another approver wrote first: re-read and decide again.
            }
            if (run.State.IsTerminal()) await _locks.ReleaseAsync(run.Cluster, run.JobName, run.Id, cancellationToken);
            _signal.Wake(runId);
            return new CommandReply(reply, ReplyVisibility.InChannel, runId);
        }
    }

    /// <summary>
    /// The plain answer for a button or command on a run that has moved on: it ended, or it is past the gate (approve,
    /// reject), or it is not parked (the four decisions). Null when the run is where the action expects it.
    /// </summary>
    private static string? MovedOn(Run run, GateAction action)
    {
        if (run.State.IsTerminal()) return Lifecycle.RunDecisions.MovedOn(run);
        if (action is GateAction.Approve or GateAction.Reject or GateAction.Confirm && run.State != RunState.AwaitingApproval && run.State.HasTouchedCluster())
        {
            return $"{run.Id} is no longer waiting for approval: it is {run.State}. Nothing was changed.";
        }
        return null;
    }

    private async Task<CommandReply> StartAsync(ParsedCommand.Start start, ChatCommand command, CancellationToken cancellationToken)
    {
        // The engine is this host's signal; while it shuts down, new runs would wait for the restart: refuse them.
        if (_signal is IEngineStatus { IsStopping: true }) return CommandReply.Refused("The bot is restarting; nothing was started. Try again in a minute.");
        var recipe = start.Recipe;
        if (ResolveCluster(start.Inputs.GetValueOrDefault("cluster"), out var cluster) is { } refusal) return refusal;
        if (PlatformRefusal(recipe, cluster) is { } unsupported) return unsupported;
        if (await RequestRefusalAsync(recipe, cluster, command, cancellationToken) is { } denied) return denied;
        var (jobName, jobId) = (start.Inputs.GetValueOrDefault("job") ?? "", (string?)null);
        if (recipe.PositionalInput is { Type: InputType.Name } created)
        {
            // The run creates what it names (deploy, backfill, sql-deploy): nothing to resolve; its preconditions say
            // whether the name is free. The lock is on the name, so two deploys of one name cannot race.
            jobName = start.Inputs[created.Name];
        }
        else
        {
            var resolved = await ResolveJobAsync(cluster, jobName, cancellationToken);
            if (resolved.Refusal is { } notFound) return notFound;
            (jobName, jobId) = (resolved.Job!.Name, resolved.Job.JobId);
        }
        var now = _time.GetUtcNow();

        for (var attempt = 0; ; attempt++)
        {
            var run = new Run
            {
                Id = RunId.New(),
                RecipeId = recipe.Id,
                Cluster = cluster.Name,
                JobName = jobName,
                JobId = jobId,
                Inputs = start.Inputs.Where(kv => kv.Key is not ("job" or "cluster") && kv.Key != recipe.PositionalInput?.Name).ToDictionary(),
                Requester = command.Actor,
                Origin = command.Channel,
                CreatedAt = now,
                NextWakeAt = now,
            };
            if (recipe.Mutating && await AcquireLockAsync(run, cancellationToken) is { } locked) return locked;
            // Only after the run lock: a concurrent `/flink lock` then sees this run, or this run sees the lock.
            if (recipe.Mutating && await ExplicitLockRefusalAsync(run, cancellationToken) is { } held)
            {
                await _locks.ReleaseAsync(cluster.Name, jobName, run.Id, cancellationToken);
                return held;
            }

            var change = new RunChange(run, "", now);
            change.Record(command.Actor, TimelineEventKind.Requested, $"{command.Actor.Mention} requested `{CommandText(command.Text)}`",
                jobId is null
                    ? new Dictionary<string, string> { ["name"] = jobName, ["cluster"] = cluster.Name }
                    : new Dictionary<string, string> { ["jobId"] = jobId, ["cluster"] = cluster.Name });
            try
            {
                await _recorder.CreateAsync(change, cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxConflictRetries)
            {
                if (recipe.Mutating) await _locks.ReleaseAsync(cluster.Name, jobName, run.Id, cancellationToken);
                continue; // Run id collision: draw another.
            }
            catch
            {
                if (recipe.Mutating) await _locks.ReleaseAsync(cluster.Name, jobName, run.Id, cancellationToken);
                throw;
            }
            LogStarted(_logger, run.Id.Value, recipe.Id, jobName, cluster.Name, command.Actor.Key);
            _signal.Wake(run.Id);
            var incident = await AttachToIncidentAsync(run, cancellationToken);
            return new CommandReply(
                $"{run.Id} started: {recipe.Id} {jobName} on {cluster.Name}, requested by {command.Actor.Mention}. Checking preconditions; the card follows." +
                (incident is { } attached ? $" Attached to {attached}." : ""),
                ReplyVisibility.InChannel, run.Id);
        }
    }

    private async Task<CommandReply?> AcquireLockAsync(Run run, CancellationToken cancellationToken)
    {
        var candidate = new JobLock(run.Cluster, run.JobName, run.Id, run.RecipeId, run.Requester, run.CreatedAt);
        var holder = await _locks.TryAcquireAsync(candidate, null, cancellationToken);
        if (holder is null) return null;

        // A lock whose run has ended (or vanished) is stale: its holder crashed between ending and releasing.
        var holderRun = await _runs.GetAsync(holder.RunId, cancellationToken);
        if (holderRun is null || holderRun.Value.State.IsTerminal())
        {
            holder = await _locks.TryAcquireAsync(candidate, holder.RunId, cancellationToken);
            if (holder is null) return null;
        }
        var age = Durations.Ago(_time.GetUtcNow(), holder.AcquiredAt);
        return CommandReply.Refused(
            $"{run.JobName} is locked by {holder.RunId} ({holder.RecipeId}, started by {holder.Holder.Mention} {age}). " +
            $"One change per job at a time: `/flink runs {holder.RunId}` shows it.");
    }

    /// <summary>A refusal when <paramref name="recipe"/> is not written for the cluster's platform, naming the clusters it runs on.</summary>
    private CommandReply? PlatformRefusal(Recipe recipe, ClusterDefinition cluster)
    {
        if (recipe.RunsOn(cluster.Platform)) return null;
        var fitting = _clusters.Clusters.Where(c => recipe.RunsOn(c.Platform)).Select(c => c.Name).ToList();
        return CommandReply.Refused($"{recipe.Id} runs on {string.Join(" and ", recipe.Platforms)}; cluster {cluster.Name} is {cluster.Platform}. " +
            (fitting.Count == 0 ? "No configured cluster fits." : $"Use `--cluster {fitting[0]}`{(fitting.Count > 1 ? $" (or {string.Join(", ", fitting.Skip(1))})" : "")}.") +
            " Nothing was started.");
    }

    private CommandReply? ResolveCluster(string? name, out ClusterDefinition cluster)
    {
        var found = name is null ? _clusters.Default : _clusters.Find(name);
        cluster = found!;
        if (found is not null) return null;
        var names = string.Join(", ", _clusters.Clusters.Select(c => c.Name));
        return CommandReply.Refused(name is null
            ? $"Several clusters are configured; say which with `--cluster NAME` ({names})."
            : $"There is no cluster named {name}. Configured: {names}.");
    }

    private async Task<(JobSummary? Job, CommandReply? Refusal)> ResolveJobAsync(ClusterDefinition cluster, string nameOrId, CancellationToken cancellationToken)
    {
        var jobs = await _clusters.PlatformFor(cluster).ListJobsAsync(cancellationToken);
        if (JobIds.IsHex32(nameOrId))
        {
            var byId = jobs.FirstOrDefault(j => j.JobId.Equals(nameOrId, StringComparison.OrdinalIgnoreCase));
            return byId is not null ? (byId, null) : (null, NoSuchJob(cluster, $"no job with JobID {nameOrId}", jobs));
        }
        var live = jobs.Where(j => j.Name == nameOrId && !j.Status.IsGloballyTerminal).ToList();
        return live.Count switch
        {
            1 => (live[0], null),
            0 => (null, NoSuchJob(cluster, $"no running job named {nameOrId}", jobs)),
            _ => (null, CommandReply.Refused($"{live.Count} jobs named {nameOrId} are running on {cluster.Name}: " +
                $"{string.Join(", ", live.Select(j => j.JobId))}. Name the one you mean by its JobID.")),
        };
    }

    private static CommandReply NoSuchJob(ClusterDefinition cluster, string what, IReadOnlyList<JobSummary> jobs)
    {
        var running = jobs.Where(j => !j.Status.IsGloballyTerminal).Select(j => j.Name).Order(StringComparer.Ordinal).ToList();
        return CommandReply.Refused($"There is {what} on cluster {cluster.Name}. Running jobs: {(running.Count == 0 ? "none" : string.Join(", ", running))}.");
    }

    private static string CommandText(string text)
    {
        var trimmed = text.Trim();
        return trimmed.StartsWith("/flink", StringComparison.OrdinalIgnoreCase) ? trimmed : "/flink " + trimmed;
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} started: {Recipe} {Job} on {Cluster} by {Actor}")]
    private static partial void LogStarted(ILogger logger, string runId, string recipe, string job, string cluster, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Action} on {RunId} by {Actor}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string runId, GateAction action, string actor, string reason);
}
