package com.example.tasks;

import dev.termlet.Client;
import dev.termlet.annotations.Argument;
import dev.termlet.annotations.Command;
import dev.termlet.annotations.OnUser;
import java.util.List;
import org.springframework.stereotype.Component;

/** What users type over SSH: a Spring bean, so the service comes in through the constructor. */
@Component
public class TaskCommands {
    private final TaskService tasks;

    TaskCommands(TaskService tasks) {
        this.tasks = tasks;
    }

    @OnUser("connect")
    void welcome(Client client) {
        client.println("Welcome, " + client.user() + ". " + tasks.open().size() + " open tasks.");
    }

    @Command(description = "Adds a task.")
    void add(Client client, @Argument(label = "TEXT") List<String> words) {
        TaskService.Task task = tasks.add(String.join(" ", words), client.user());
        client.println("Added task " + task.id() + ".");
    }

    @Command(name = "tasks", description = "Lists the open tasks.")
    void list(Client client) {
        if (tasks.open().isEmpty()) {
            client.println("Nothing to do.");
        }
        for (TaskService.Task t : tasks.open()) {
            client.println(t.id() + "  " + t.text() + "  (" + t.owner() + ")");
        }
    }

    @Command(description = "Marks a task done.")
    int done(Client client, @Argument(label = "ID") int id) {
        if (!tasks.done(id)) {
            client.println("No open task " + id + ".");
            return 1;
        }
        client.println("Task " + id + " done.");
        return 0;
    }
}
