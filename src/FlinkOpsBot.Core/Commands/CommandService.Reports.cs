using System.Text;
using FlinkOpsBot.Core.Cards;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Clusters;
using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Core.Incidents;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Core.Commands;

/// <summary>
/// Read-only recipes (<c>mutating: false</c>: status, restart-loop, checkpoint-failures, savepoints) are answered at once:
/// resolve the cluster and the job, evaluate the recipe's <c>report:</c> checks against the cluster, reply with one line
/// per check and the follow-up commands the recipe <c>offers:</c>. No run is persisted, no lock is taken, nothing changes;
/// the caller needs only read access (<see cref="IsReadOnly"/>).
/// </summary>
public sealed partial class CommandService
{
    /// <summary>The value of a report check's <c>scope</c> parameter that makes it answer for the whole cluster (no job given).</summary>
    internal const string ClusterScope = "cluster";

    private readonly IDeploymentLedger _deployments = new InMemoryDeploymentLedger();
    private readonly ISavepointLedger? _savepointLedger;

    /// <summary>Creates the service with incidents, the shared timeline, and the bot's ledgers that the reports read.</summary>
    /// <param name="recipes">The recipe catalog.</param>
    /// <param name="clusters">The configured clusters.</param>
    /// <param name="runs">The run store.</param>
    /// <param name="recorder">Writes run changes.</param>
    /// <param name="locks">The per-job locks.</param>
    /// <param name="signal">Wakes the engine.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The log.</param>
    /// <param name="authorization">Decides who may read, request and approve.</param>
    /// <param name="incidents">Writes incidents.</param>
    /// <param name="timelines">Reads, exports and verifies timelines.</param>
    /// <param name="exports">Where the HTTP timeline export is served, or null.</param>
    /// <param name="deployments">The bot's deployment records (checks may read them).</param>
    /// <param name="savepoints">The bot's savepoint ledger, which <c>/flink savepoints</c> lists on platforms without a savepoint catalog.</param>
    public CommandService(RecipeCatalog recipes, IClusterDirectory clusters, IRunStore runs, RunRecorder recorder, IJobLockStore locks,
        Chat.IRunSignal signal, TimeProvider time, ILogger<CommandService> logger, Authorization.IAuthorizationPolicy authorization,
        IncidentBook incidents, TimelineService timelines, TimelineExportOptions? exports, IDeploymentLedger deployments, ISavepointLedger savepoints)
        : this(recipes, clusters, runs, recorder, locks, signal, time, logger, authorization, incidents, timelines, exports)
    {
        _deployments = deployments;
        _savepointLedger = savepoints;
    }

    private async Task<CommandReply> ReportAsync(ParsedCommand.Start start, ChatCommand command, CancellationToken cancellationToken)
    {
        var recipe = start.Recipe;
        if (ResolveCluster(start.Inputs.GetValueOrDefault("cluster"), out var cluster) is { } refusal) return refusal;
        if (PlatformRefusal(recipe, cluster) is { } unsupported) return unsupported;
        var platform = _clusters.PlatformFor(cluster);

        var asked = recipe.PositionalInput is { } positional ? start.Inputs.GetValueOrDefault(positional.Name) : null;
        JobSummary? job = null;
        if (asked is not null)
        {
            var resolved = await ResolveReportJobAsync(cluster, asked, cancellationToken);
            if (resolved.Refusal is { } notFound) return notFound;
            job = resolved.Job;
        }

        var now = _time.GetUtcNow();
        // The context's carrier: never stored, so its id is never seen.
        var run = new Run
        {
            Id = RunId.New(),
            RecipeId = recipe.Id,
            Cluster = cluster.Name,
            JobName = job?.Name ?? "",
            JobId = job?.JobId,
            Inputs = start.Inputs.ToDictionary(),
            Requester = command.Actor,
            Origin = command.Channel,
            CreatedAt = now,
        };
        var context = new CheckContext(run, recipe, cluster, platform, _deployments, _time) { Locks = _locks, Savepoints = _savepointLedger };
        var checks = CheckLibrary.BuiltIn;
        var specs = recipe.Report.Where(s => (s.With.GetValueOrDefault("scope") == ClusterScope) == (job is null)).ToList();
        if (specs.Count == 0) return CommandReply.Refused($"{recipe.Id} needs a job.\nUsage: `{recipe.Usage}`");

        var text = new StringBuilder(job is null
            ? $"*{recipe.Title}* of cluster {cluster.Name}"
            : $"*{recipe.Title}: {job.Name}* on {cluster.Name} (`{job.JobId}`, {job.Status})");
        foreach (var spec in specs)
        {
            var result = await checks[spec.Check].EvaluateAsync(context, spec, cancellationToken);
            text.Append('\n').Append(CardSymbols.Check(result.Outcome)).Append(' ').Append(result.Title).Append(": ").Append(result.Evidence);
        }
        if (job is not null)
        {
            if (await _locks.GetAsync(cluster.Name, job.Name, cancellationToken) is { } held)
            {
                text.Append($"\nLocked by {held.RunId} ({held.RecipeId}, {held.Holder.Mention})");
            }
            text.Append(await ExplicitLockLineAsync(cluster.Name, job.Name, cancellationToken));
        }
        var offers = Offers(recipe, cluster, job);
        if (offers.Count > 0) text.Append("\nNext: ").Append(string.Join(" · ", offers.Select(o => $"`{o}`")));
        return CommandReply.Private(text.ToString());
    }

    /// <summary>The help lines of a read-only recipe: what it reports, and that reading is enough.</summary>
    private static string ReportHelp(Recipe recipe) =>
        $"Reports: {string.Join(", ", recipe.Report.Select(r => r.Check).Distinct())}\n" +
        "Read-only: it changes nothing, so whoever may read here may run it.\n";

    /// <summary>The recipe's offers with <c>{job}</c> and <c>{cluster}</c> filled in; an offer naming <c>{job}</c> is left out without a job.</summary>
    private List<string> Offers(Recipe recipe, ClusterDefinition cluster, JobSummary? job) =>
    [
        .. recipe.Offers
            .Where(o => job is not null || !o.Contains("{job}", StringComparison.Ordinal))
            .Select(o => o.Replace("{job}", job?.Name ?? "", StringComparison.Ordinal)
                + (o.Contains("{cluster}", StringComparison.Ordinal) ? "" : ClusterOption(cluster)))
            .Select(o => o.Replace("{cluster}", cluster.Name, StringComparison.Ordinal)),
    ];

    /// <summary>
    /// The job a report is about: the running job of that name (or JobID), else the newest that ended (a report on a job
    /// that failed or was stopped still answers); a refusal naming the running jobs when there is none.
    /// </summary>
    private async Task<(JobSummary? Job, CommandReply? Refusal)> ResolveReportJobAsync(ClusterDefinition cluster, string nameOrId, CancellationToken cancellationToken)
    {
        var resolved = await ResolveJobAsync(cluster, nameOrId, cancellationToken);
        if (resolved.Job is not null || JobIds.IsHex32(nameOrId)) return resolved;
        var jobs = await _clusters.PlatformFor(cluster).ListJobsAsync(cancellationToken);
        if (jobs.Any(j => j.Name == nameOrId && !j.Status.IsGloballyTerminal)) return resolved; // several running: the refusal names them
        var ended = jobs.Where(j => j.Name == nameOrId).OrderByDescending(j => j.StartTime).FirstOrDefault();
        return ended is not null ? (ended, null) : resolved;
    }
}
