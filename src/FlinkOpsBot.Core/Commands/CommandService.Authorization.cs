using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Clusters;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Core.Commands;

/// <summary>The pipeline's authorize step: who may read, request and decide, from <see cref="IAuthorizationPolicy"/>.</summary>
public sealed partial class CommandService
{
    /// <summary>The commands that change nothing: allowed to whoever <see cref="IAuthorizationPolicy.MayReadAsync"/> allows.</summary>
    private static bool IsReadOnly(ParsedCommand command) =>
        command is ParsedCommand.Help or ParsedCommand.Runs or ParsedCommand.Timeline
            // The shared timeline is the channel's: whoever may read may open an incident, add a note, show, export or verify it.
            or ParsedCommand.ShowTimeline or ParsedCommand.ExportTimeline or ParsedCommand.VerifyTimeline
            or ParsedCommand.IncidentStart or ParsedCommand.IncidentClose or ParsedCommand.Note or ParsedCommand.Locks
            // Read-only recipes (status and the diagnoses) change nothing: reading is enough.
            or ParsedCommand.Start { Recipe.Mutating: false };

    private async Task<CommandReply?> ReadRefusalAsync(ParsedCommand parsed, ChatCommand command, CancellationToken cancellationToken)
    {
        if (!IsReadOnly(parsed)) return null;
        var decision = await _authorization.MayReadAsync(command.Actor, command.Channel, cancellationToken);
        if (decision.Allowed) return null;
        LogRequestRefused(_logger, "read", "-", command.Actor.Key, decision.Reason!);
        return CommandReply.Refused(decision.Reason!);
    }

    private async Task<CommandReply?> RequestRefusalAsync(Recipe recipe, ClusterDefinition cluster, ChatCommand command, CancellationToken cancellationToken)
    {
        var decision = await _authorization.MayRequestAsync(command.Actor, cluster.Name, recipe.Id, command.Channel, cancellationToken);
        if (decision.Allowed) return null;
        LogRequestRefused(_logger, recipe.Id, cluster.Name, command.Actor.Key, decision.Reason!);
        await RecordRefusalAsync(command.Channel, command.Actor, $"{recipe.Id} on {cluster.Name}", decision.Reason!, cancellationToken);
        return CommandReply.Refused(decision.Reason! + " Nothing was started.");
    }

    /// <summary>Which of the run's gate approvers name <paramref name="actor"/> (groups included); null when the run has no gate.</summary>
    private async Task<PrincipalMatch?> ApproverMatchAsync(Run run, Actor actor, CancellationToken cancellationToken) =>
        run.Gate is { } gate && !run.State.IsTerminal() ? await _authorization.MatchAsync(actor, gate.Approvers, cancellationToken) : null;

    /// <summary>
    /// The recipes the asker may request from this channel, each with where (empty when on every cluster, else
    /// " (on prod-eu, staging)"), and whether they may approve anything here.
    /// </summary>
    private async Task<(List<(Recipe Recipe, string Where)> Allowed, bool MayApprove)> WhatMayRunAsync(ChatCommand command, CancellationToken cancellationToken)
    {
        var allowed = new List<(Recipe, string)>();
        var mayApprove = false;
        foreach (var recipe in _recipes.All.Where(r => r.Mutating)) // read-only recipes need only read access; help lists them apart
        {
            var on = new List<string>();
            foreach (var cluster in _clusters.Clusters)
            {
                if ((await _authorization.MayRequestAsync(command.Actor, cluster.Name, recipe.Id, command.Channel, cancellationToken)).Allowed) on.Add(cluster.Name);
                mayApprove = mayApprove || (recipe.Mutating
                    && (await _authorization.MayApproveAsync(command.Actor, cluster.Name, recipe.Id, command.Channel, cancellationToken)).Allowed);
            }
            if (on.Count > 0) allowed.Add((recipe, on.Count == _clusters.Clusters.Count ? "" : $" (on {string.Join(", ", on)})"));
        }
        return (allowed, mayApprove);
    }

    /// <summary>"You may request it here on: demo." or, per cluster, why not and who may.</summary>
    private async Task<string> WhoMayRequestAsync(Recipe recipe, ChatCommand command, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var allowed = new List<string>();
        foreach (var cluster in _clusters.Clusters)
        {
            var decision = await _authorization.MayRequestAsync(command.Actor, cluster.Name, recipe.Id, command.Channel, cancellationToken);
            if (decision.Allowed) allowed.Add(cluster.Name);
            else lines.Add($"On {cluster.Name}: {decision.Reason}");
        }
        if (allowed.Count > 0) lines.Insert(0, $"You may request it here on: {string.Join(", ", allowed)}.");
        return string.Join('\n', lines);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Recipe} on {Cluster} for {Actor}: {Reason}")]
    private static partial void LogRequestRefused(ILogger logger, string recipe, string cluster, string actor, string reason);
}
