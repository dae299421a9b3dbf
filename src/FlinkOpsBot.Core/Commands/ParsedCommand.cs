using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Commands;

/// <summary>What a line of chat asked for, after parsing; or why it could not be understood.</summary>
public abstract partial record ParsedCommand
{
    /// <summary><c>help [recipe]</c>.</summary>
    public sealed record Help(string? Topic) : ParsedCommand;

    /// <summary><c>runs [R-XXXX]</c>: recent runs, or one run's card.</summary>
    public sealed record Runs(RunId? RunId) : ParsedCommand;

    /// <summary><c>timeline R-XXXX</c>.</summary>
    public sealed record Timeline(RunId RunId) : ParsedCommand;

    /// <summary><c>approve|reject|cancel|retry|continue|rollback|abandon R-XXXX|last [comment]</c>; <see cref="RunId"/> is null for <c>last</c>.</summary>
    public sealed record Decide(GateAction Action, RunId? RunId, string? Comment) : ParsedCommand;

    /// <summary>A recipe verb with its inputs (names without dashes; flags map to <c>true</c>).</summary>
    public sealed record Start(Recipe Recipe, IReadOnlyDictionary<string, string> Inputs) : ParsedCommand;

    /// <summary>The text could not be understood: the reason, and the usage that would work.</summary>
    public sealed record Invalid(string Problem, string Usage) : ParsedCommand;
}
