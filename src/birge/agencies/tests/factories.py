import factory

from birge.agencies.models import Agency, Region, Role, User

PASSWORD = "correct horse battery staple"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "baku"
    name_az = "Bakı"
    name_ru = "Баку"
    name_en = "Baku"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"agency-{n}")
    kind = Agency.Kind.OTHER
    region = factory.SubFactory(RegionFactory)
    name_az = factory.LazyAttribute(lambda o: f"Qurum {o.code}")
    name_ru = factory.LazyAttribute(lambda o: f"Ведомство {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Agency {o.code}")


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a known password; `roles` takes role codes."""

    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.invalid")
    agency = factory.SubFactory(AgencyFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, codes, **kwargs):
        if create and codes:
            self.roles.set(Role.objects.filter(code__in=codes))
        if create:
            self.save()
