package com.example.tasks;

import dev.termlet.auth.Account;
import dev.termlet.auth.JsonAccountStore;
import dev.termlet.config.TermletConfig;
import dev.termlet.spring.TermletServerCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The application: the SSH server comes from termlet-spring-boot-starter and the {@code termlet.*} properties of
 * application.yaml; {@link TaskCommands} is found because it is a bean with {@code @Command} methods.
 */
@SpringBootApplication
public class TasksApplication {
    /**
     * Starts the application; Ctrl-C (or SIGTERM) stops it, and the SSH sessions with it.
     *
     * @param args Spring Boot's arguments ({@code --termlet.listeners[0].port=2200}...)
     */
    public static void main(String[] args) {
        SpringApplication.run(TasksApplication.class, args);
    }

    /**
     * The demo account of app.demo-account, in {@code users.json} of the data directory, before the server starts.
     *
     * @param config the Termlet configuration the starter made from the properties
     * @param name the account's name
     * @param password its password
     * @return the customizer
     */
    @Bean
    TermletServerCustomizer demoAccount(TermletConfig config, @Value("${app.demo-account.name}") String name,
            @Value("${app.demo-account.password}") String password) {
        return builder -> {
            JsonAccountStore accounts = JsonAccountStore.open(config.model().dataDir());
            if (accounts.find(name).isEmpty()) {
                accounts.save(Account.builder(name).password(password.toCharArray()).build());
            }
            builder.accounts(accounts);
        };
    }
}
