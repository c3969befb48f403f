namespace Gateway.Core.Storage.Migrations;

/// <summary>One numbered schema step of a storage backend, with the script that undoes it.</summary>
/// <param name="Version">The version the database has after <paramref name="Up"/>; steps run in this order.</param>
/// <param name="Name">What the step does, from its script's file name.</param>
/// <param name="Up">The SQL that upgrades from <c>Version - 1</c>.</param>
/// <param name="Down">The SQL that returns to <c>Version - 1</c>.</param>
/// <param name="DownDropsUserData">Whether <paramref name="Down"/> deletes data users wrote (not only derived data such as an index); such a step needs <c>--force</c>.</param>
public sealed record SchemaMigration(int Version, string Name, string Up, string Down, bool DownDropsUserData);
